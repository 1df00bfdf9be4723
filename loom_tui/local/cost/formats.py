"""Which cost export a file is, from its header alone, and which columns feed which field.

Columns are matched by name, case-insensitively (EA files are PascalCase, MCA files camelCase,
the same column is ``Date`` in one and ``date`` in the other).  The first candidate present wins.

* FOCUS (1.0, 1.0r2, 1.1, 1.2): one row carries both costs, ``BilledCost`` (actual) and
  ``EffectiveCost`` (amortized).  The version is told by the columns a version introduced
  (focus_columns.txt): 1.2 adds InvoiceId / BillingAccountType / PricingCurrency..., 1.1 adds
  ServiceSubcategory / SkuMeter / CommitmentDiscountQuantity...; 1.0 and Microsoft's 1.0r2 have
  the same columns (1.0r2 fixed values, not names) and are read alike.
* Azure cost details (EA and MCA, actual or amortized, old and new column sets): one cost per
  row.  Whether a file is actual or amortized is not in its header: the file name says it
  (``...amortized...``) or the importer is told (``--type``); otherwise actual.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FOCUS = "focus"
AZURE = "azure"

# field -> candidate column names (lower case), for each family
FOCUS_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("chargeperiodstart",),
    "actual": ("billedcost",),
    "amortized": ("effectivecost",),
    "currency": ("billingcurrency",),
    "subscription": ("subaccountid",),
    "resource_group": ("x_resourcegroupname",),
    "resource_id": ("resourceid",),
    "resource_name": ("resourcename",),
    "resource_type": ("x_resourcetype",),
    "resource_type_label": ("resourcetype",),
    "service": ("servicename",),
    "region": ("regionid", "regionname"),
    "tags": ("tags",),
    "charge_category": ("chargecategory",),
    "provider": ("providername",),
    # what was used, in its unit (Fabric: CU hours): the basis of a price per CU-hour
    "quantity": ("consumedquantity", "pricingquantity"),
    "unit": ("consumedunit", "pricingunit"),
}
FOCUS_REQUIRED = ("date", "actual", "amortized", "currency")
FOCUS_MARKERS = ("billedcost", "effectivecost", "chargeperiodstart")
FOCUS_12 = ("invoiceid", "billingaccounttype", "pricingcurrency", "subaccounttype", "pricingcurrencyeffectivecost")
FOCUS_11 = ("servicesubcategory", "skumeter", "skupricedetails", "commitmentdiscountquantity", "capacityreservationid")

AZURE_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "usagedatetime", "usagedate"),
    "cost": ("costinbillingcurrency", "cost", "pretaxcost"),
    "currency": ("billingcurrencycode", "billingcurrency", "currency"),
    "subscription": ("subscriptionid", "subscriptionguid"),
    "resource_group": ("resourcegroup", "resourcegroupname"),
    "resource_id": ("resourceid", "instanceid", "instancename"),
    "resource_name": ("resourcename",),
    "resource_type_label": ("consumedservice",),
    "service": ("metercategory", "servicename"),
    "region": ("resourcelocation", "location"),
    "tags": ("tags",),
    "charge_category": ("chargetype",),
    "quantity": ("quantity",),
    "unit": ("unitofmeasure",),
}
AZURE_REQUIRED = ("date", "cost", "currency")

LABELS = {"date": "a date", "actual": "BilledCost", "amortized": "EffectiveCost", "currency": "a billing currency", "cost": "a cost"}


@dataclass(frozen=True)
class Layout:
    family: str  # FOCUS | AZURE
    label: str  # "FOCUS 1.2", "EA (legacy columns)", "MCA", ...
    columns: tuple[str, ...]  # the header as written (byte-order mark removed)
    fields: dict[str, str] = field(default_factory=dict)  # field -> column name as written
    kind: str | None = None  # Azure files: "actual" | "amortized"; FOCUS: None (both)

    def column(self, name: str) -> str | None:
        return self.fields.get(name)


class LayoutError(ValueError):
    """The header is not one of a known export (message names what is missing)."""


def _pick(lower: dict[str, str], candidates: tuple[str, ...]) -> str | None:
    for c in candidates:
        if c in lower:
            return lower[c]
    return None


def detect(columns: list[str] | tuple[str, ...], *, file_name: str = "", kind: str | None = None) -> Layout:
    cols = tuple(c.lstrip("\ufeff").strip() for c in columns)
    lower: dict[str, str] = {}
    for c in cols:
        lower.setdefault(c.lower(), c)
    if sum(m in lower for m in FOCUS_MARKERS) >= 2:
        fields = {f: col for f, cands in FOCUS_FIELDS.items() if (col := _pick(lower, cands))}
        missing = [FOCUS_FIELDS[f][0] for f in FOCUS_REQUIRED if f not in fields]
        if missing:
            raise LayoutError(f"a FOCUS file needs the column(s) {', '.join(_title(m) for m in missing)}")
        version = "1.2" if any(c in lower for c in FOCUS_12) else "1.1" if any(c in lower for c in FOCUS_11) else "1.0"
        return Layout(FOCUS, f"FOCUS {version}", cols, fields, None)
    fields = {f: col for f, cands in AZURE_FIELDS.items() if (col := _pick(lower, cands))}
    if "date" in fields or "cost" in fields:
        missing = [f for f in AZURE_REQUIRED if f not in fields]
        if missing:
            need = {"date": "Date", "cost": "CostInBillingCurrency (or Cost)", "currency": "BillingCurrencyCode (or BillingCurrency)"}
            raise LayoutError(f"an Azure cost details file needs the column(s) {', '.join(need[m] for m in missing)}")
        mca = fields["date"][:1].islower()  # MCA files are camelCase
        legacy = fields["cost"].lower() != "costinbillingcurrency"
        label = ("MCA" if mca else "EA") + (" (legacy columns)" if legacy else "")
        k = kind or ("amortized" if "amortized" in file_name.lower() else "actual")
        return Layout(AZURE, f"{label} {k}", cols, fields, k)
    raise LayoutError("not a cost export this console reads: expected FOCUS columns (BilledCost, EffectiveCost, "
                      "ChargePeriodStart, BillingCurrency) or Azure cost details columns (Date, CostInBillingCurrency or Cost, "
                      "BillingCurrencyCode or BillingCurrency)")


def _title(lower_name: str) -> str:
    return {"billedcost": "BilledCost", "effectivecost": "EffectiveCost", "chargeperiodstart": "ChargePeriodStart",
            "billingcurrency": "BillingCurrency"}.get(lower_name, lower_name)

"""The SQL that turns an export's columns (read as text) into the fields of the cost table.

The source relation names its columns ``c0, c1, ...`` by position (DuckDB identifiers are case-
insensitive, and a header may repeat a name in another case), so every expression here refers to
a column by its position in the header.  A required field that is missing on a row raises
(``error()``), a value that does not convert raises (``CAST``): either aborts the import, and the
slow path (``diagnose``) then names the line and column.
"""

from __future__ import annotations

from .formats import FOCUS, Layout

COST_TYPE = "DECIMAL(38,12)"
COST_FIELDS = ("actual", "amortized", "cost")  # read as COST_TYPE by the CSV reader
# The table's columns in insert order (source and file_id are added by the importer).
TABLE_FIELDS = ("date", "actual", "amortized", "currency", "subscription", "resource_group", "resource_id", "resource_name",
                "resource_type", "service", "region", "tags", "charge_category", "provider", "quantity", "unit")


def positional(layout: Layout) -> dict[str, str]:
    """field -> ``cN`` (the position of its column in the header)."""
    index = {name: i for i, name in reversed(list(enumerate(layout.columns)))}
    return {f: f"c{index[col]}" for f, col in layout.fields.items()}


def _str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def date_expr(v: str) -> str:
    """ISO 8601 (``2024-09-04``, ``2024-09-04T00:00:00Z``, ``2024-09-04 00:00:00``) or US
    ``MM/DD/YYYY`` (older EA exports), as the FinOps toolkit reads them; the day is the UTC day."""
    return (f"CASE WHEN contains({v}, '/') THEN CAST(strptime(split_part({v}, ' ', 1), '%m/%d/%Y') AS DATE) "
            f"ELSE CAST(substr({v}, 1, 10) AS DATE) END")


def tags_expr(v: str) -> str:
    """Tags as JSON; older EA exports leave out the outer braces (FinOps toolkit rule: add them)."""
    return (f"CAST(CASE WHEN {v} IS NULL OR {v} IN ('', '{{}}') THEN NULL WHEN starts_with({v}, '{{') THEN {v} "
            f"ELSE '{{' || {v} || '}}' END AS JSON)")


ARM_TYPE = "^([^/]+/[^/]+)(?:/[^/]+/([^/]+))?(?:/[^/]+/([^/]+))?"


def type_from_id_sql(rid: str) -> str:
    """The ARM type of a (lower-case) resource id, child types included:
    ``.../providers/microsoft.synapse/workspaces/w/sqlpools/p`` -> ``microsoft.synapse/workspaces/sqlpools``."""
    tail = f"split_part({rid}, '/providers/', 2)"
    groups = ", ".join(f"nullif(regexp_extract({tail}, '{ARM_TYPE}', {i}), '')" for i in (1, 2, 3))
    return f"nullif(concat_ws('/', {groups}), '')"


def required(v: str | None, what: str) -> str:
    """The column expression, or an error naming ``what`` when the value is empty (or the column is missing: NULL)."""
    v = v or "NULL"
    return f"coalesce({v}, error({_str(what + ' is empty')}))"


def currency_sql(v: str) -> str:
    """The billing currency, upper-cased, or an error unless it is ISO 4217-shaped (three ASCII
    letters): a cost file's currency is untrusted text that reaches every money label."""
    return (f"CASE WHEN regexp_full_match({v}, '[A-Za-z]{{3}}') THEN upper({v}) "
            f"ELSE error({_str('the billing currency is not a three-letter ISO 4217 code')}) END")


def _first(value: str | None, test: str | None, otherwise: str) -> str:
    """``value`` where ``test`` is not NULL, else ``otherwise`` (evaluated only for those rows)."""
    if value is None or test is None:
        return otherwise
    return f"CASE WHEN {test} IS NOT NULL THEN {value} ELSE {otherwise} END"


def select_sql(layout: Layout, source_sql: str, *, file_id: int, source: str = "exports", typed_costs: bool = True) -> str:
    """``SELECT`` of the table's fields (then source, file_id) from ``source_sql``."""
    pos = positional(layout)

    def col(f: str) -> str | None:
        c = pos.get(f)
        if c and f in COST_FIELDS and typed_costs:
            return c  # already a decimal (NULL for an empty or NULL cell)
        return f"nullif(trim({c}), '')" if c else None

    rid = "__rid"
    e: dict[str, str] = {}
    e["date"] = f"CAST({date_expr(required(col('date') or 'NULL', 'the date'))} AS DATE)"
    if layout.family == FOCUS:
        e["actual"] = f"CAST({required(col('actual'), 'BilledCost')} AS {COST_TYPE})"
        e["amortized"] = f"CAST({required(col('amortized'), 'EffectiveCost')} AS {COST_TYPE})"
    else:
        cost = f"CAST({required(col('cost'), 'the cost')} AS {COST_TYPE})"
        e["actual"] = cost if layout.kind != "amortized" else f"CAST(NULL AS {COST_TYPE})"
        e["amortized"] = cost if layout.kind == "amortized" else f"CAST(NULL AS {COST_TYPE})"
    e["currency"] = currency_sql(required(col('currency'), 'the billing currency'))
    # CASE, not coalesce: DuckDB evaluates every argument of coalesce, and the regular
    # expressions on the id are the costliest part of an import (measured: 4x the rest)
    sub = col("subscription")
    from_id = f"nullif(regexp_extract({rid}, '^/subscriptions/([^/]+)', 1), '')"
    sub_clean = f"lower(CASE WHEN {sub} ILIKE '/subscriptions/%' THEN substr({sub}, 16) ELSE {sub} END)"
    e["subscription"] = _first(sub_clean if sub else None, sub, from_id)
    rg = col("resource_group")
    rg_from_id = f"nullif(regexp_extract({rid}, '/resourcegroups/([^/]+)', 1), '')"
    e["resource_group"] = _first(f"lower({rg})" if rg else None, rg, rg_from_id)
    e["resource_id"] = rid
    name = col("resource_name")
    name_from_id = f"nullif(regexp_extract({rid}, '/([^/]+)$', 1), '')"
    e["resource_name"] = _first(name, name, name_from_id)
    rtype = col("resource_type")
    label = col("resource_type_label")
    from_id_type = type_from_id_sql(rid)
    fallback = f"coalesce({from_id_type}, {label})" if label else from_id_type
    e["resource_type"] = _first(f"lower({rtype})" if rtype else None, rtype, fallback)
    e["service"] = col("service") or "NULL"
    e["region"] = f"lower({col('region')})" if col("region") else "NULL"
    e["tags"] = tags_expr(f"trim({pos['tags']})") if "tags" in pos else "CAST(NULL AS JSON)"
    e["charge_category"] = col("charge_category") or "NULL"
    e["provider"] = col("provider") or ("'Microsoft'" if layout.family != FOCUS else "NULL")
    # usage quantity is a help (the price per CU-hour), not a condition: a value that is not a
    # number is left out, never a reason to refuse the file
    e["quantity"] = f"TRY_CAST({col('quantity')} AS {COST_TYPE})" if col("quantity") else f"CAST(NULL AS {COST_TYPE})"
    e["unit"] = col("unit") or "NULL"
    rid_src = col("resource_id")
    inner = f"SELECT *, {f'lower({rid_src})' if rid_src else 'CAST(NULL AS VARCHAR)'} AS {rid} FROM {source_sql}"
    fields = ", ".join(f"{e[f]} AS {f}" for f in TABLE_FIELDS)
    return f"SELECT {fields}, {_str(source)} AS source, {int(file_id)} AS file_id FROM ({inner}) AS src"

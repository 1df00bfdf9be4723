"""The CIDR rules: syntax, size, overlap, the allocator and the subnet plan (hypothesis where a rule
must hold for every network)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loom_tui.domain.cidr import CidrError, Taken, check_spoke, next_free, overlapping, parse_cidr, subnet_plan

HUB = Taken("hub vnet-hub", "10.0.0.0/16")


@st.composite
def networks(draw, min_prefix=8, max_prefix=28):
    prefix = draw(st.integers(min_prefix, max_prefix))
    addr = draw(st.integers(0, 2**32 - 1)) >> (32 - prefix) << (32 - prefix) if prefix else 0
    return ipaddress.IPv4Network((addr, prefix))


@st.composite
def spokes(draw):
    """What the platform's network.bicep can lay its subnets into: a.b.0.0/16 to a.b.0.0/20."""
    return ipaddress.IPv4Network(((draw(st.integers(0, 2**16 - 1)) << 16), draw(st.integers(16, 20))))


@given(st.lists(networks(), max_size=12))
@settings(max_examples=300, deadline=None)
def test_next_free_overlaps_nothing_taken_and_is_the_lowest(nets):
    taken = [HUB] + [Taken(f"s{i}", str(n)) for i, n in enumerate(nets)]
    got = next_free(taken)
    if got is None:  # every 10.N/16 clashes: then truly none is free
        assert all(overlapping(ipaddress.IPv4Network(f"10.{n}.0.0/16"), taken) for n in range(1, 256))
        return
    assert got.prefixlen == 16 and str(got).startswith("10.")
    assert not any(got.overlaps(ipaddress.ip_network(t.cidr)) for t in taken)
    n = int(str(got).split(".")[1])
    assert n >= 1
    for lower in range(1, n):  # nothing lower was free
        assert overlapping(ipaddress.IPv4Network(f"10.{lower}.0.0/16"), taken)


@given(networks(), networks())
@settings(max_examples=500, deadline=None)
def test_overlap_check_agrees_with_address_sets(a, b):
    clash = bool(overlapping(a, [Taken("b", str(b))]))
    a_lo, a_hi = int(a.network_address), int(a.broadcast_address)
    b_lo, b_hi = int(b.network_address), int(b.broadcast_address)
    assert clash == (a_lo <= b_hi and b_lo <= a_hi)
    assert clash == bool(overlapping(b, [Taken("a", str(a))]))  # symmetric


@given(spokes(), st.lists(networks(), max_size=6))
@settings(max_examples=300, deadline=None)
def test_check_spoke_accepts_exactly_the_free_ones(net, others):
    taken = [Taken(f"o{i}", str(o)) for i, o in enumerate(others)]
    free = not any(net.overlaps(o) for o in others)
    if free:
        assert check_spoke(str(net), taken) == net
    else:
        with pytest.raises(CidrError, match="overlaps"):
            check_spoke(str(net), taken)


@given(spokes())
@settings(max_examples=200, deadline=None)
def test_subnet_plan_fits_and_does_not_overlap(space):
    subnets = [ipaddress.ip_network(s.cidr) for s in subnet_plan(space)]
    assert len(subnets) == 6
    assert all(s.subnet_of(space) for s in subnets)
    for i, a in enumerate(subnets):
        for b in subnets[i + 1:]:
            assert not a.overlaps(b)


def test_subnet_plan_of_a_16_is_the_reference_layout():
    plan = subnet_plan(ipaddress.IPv4Network("10.3.0.0/16"))
    assert [(s.name, s.cidr) for s in plan] == [
        ("snet-databricks-public", "10.3.0.0/22"), ("snet-databricks-private", "10.3.4.0/22"),
        ("snet-private-endpoints", "10.3.8.0/24"), ("snet-synapse", "10.3.9.0/24"), ("snet-workloads", "10.3.10.0/24"),
        ("snet-pbi-vnet-gateway", "10.3.11.0/27")]  # network.bicep at the pinned commit


@pytest.mark.parametrize("text, why", [
    ("", "not a CIDR"), ("10.1.0.0", "not a CIDR"), ("10.1.0/16", "not a CIDR"), ("300.1.0.0/16", "not a CIDR"),
    ("10.1.0.0/33", "not a CIDR"), ("fd00::/48", "IPv6"), ("10.1.2.0/16", "host bits set; the network is 10.1.0.0/16"),
    ("abc/16", "not a CIDR"),
])
def test_syntax_errors_say_why(text, why):
    with pytest.raises(CidrError, match=why.replace("(", r"\(")):
        check_spoke(text, [HUB])


@pytest.mark.parametrize("text", ["10.0.0.0/8", "10.4.0.0/15", "10.4.0.0/21", "10.4.0.0/24", "10.4.0.0/28"])
def test_size_outside_16_to_20_is_refused(text):
    with pytest.raises(CidrError, match="between /16 and /20"):
        check_spoke(text, [HUB])


def test_a_space_not_starting_at_a_b_0_0_is_refused_the_platforms_subnets_would_fall_outside():
    with pytest.raises(CidrError, match="does not start at 10.2.0.0"):
        check_spoke("10.2.16.0/20", [HUB])


def test_overlap_names_each_clash():
    taken = [HUB, Taken("spoke vnet-finance", "10.1.0.0/16"), Taken("spoke vnet-hr", "10.2.0.0/16")]
    with pytest.raises(CidrError) as e:
        check_spoke("10.0.0.0/16", taken)
    assert "hub vnet-hub (10.0.0.0/16)" in str(e.value)
    assert str(next_free(taken)) == "10.3.0.0/16"
    assert str(check_spoke("10.4.0.0/20", [HUB])) == "10.4.0.0/20"
    with pytest.raises(CidrError, match="spoke vnet-hr"):
        check_spoke("10.2.0.0/20", taken)


def test_next_free_skips_a_spoke_inside_a_range_and_unparseable_entries():
    taken = [HUB, Taken("odd", "10.1.200.0/24"), Taken("broken", "not-a-cidr")]
    assert str(next_free(taken)) == "10.2.0.0/16"
    assert parse_cidr(" 10.9.0.0/16 ") == ipaddress.IPv4Network("10.9.0.0/16")

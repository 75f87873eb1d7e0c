"""Customer accounts of the person's company, as the CRM and helpdesk families name them (one list,
so two families drawing accounts draw from the same book)."""

from __future__ import annotations

ACCOUNTS = [
    "Alderbank Logistics",
    "Bluefin Analytics",
    "Copperleaf Studios",
    "Driftwood Dental",
    "Emberly Foods",
    "Fjordline Shipping",
    "Greyhaven Legal",
    "Hollowtree Farms",
    "Indigo Pharma",
    "Juniper Print",
    "Kingsway Motors",
    "Larkspur Schools",
]

#!/usr/bin/env python3
"""Writes the bulk-upload template (docs/intake.md) with N invoices for N debtors: the portal
benchmark's seed, imported with `duegate import` as a creditor would upload it.
Usage: gen.py OUT.csv N"""
import random
import sys

FIRST = ["Jan", "Marie", "Luc", "Sofie", "Pieter", "Emma", "Noah", "Lotte", "Tom", "Anna", "Bram", "Eva"]
LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
        "Dubois", "Lambert", "Dupont", "Martin", "Bakker", "Visser", "Smit", "Meijer"]
KIND = ["BV", "NV", "SRL", "Bakkerij", "Garage", "Café", "Studio", "Atelier"]


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(14)
    with open(out, "w", encoding="utf-8") as f:
        f.write("creditor_reference;debtor_name;debtor_email;debtor_phone;debtor_street;debtor_postcode;debtor_city;"
                "debtor_country;language;vat_number;invoice_number;issue_date;due_date;amount;currency;ogm\n")
        for i in range(n):
            name = "%s %s %s %d" % (rnd.choice(KIND), rnd.choice(FIRST), rnd.choice(LAST), i)
            day = 1 + i % 28
            month = 1 + (i // 28) % 9
            cents = rnd.randint(1500, 950000)
            f.write("K-%d;%s;d%d@debtors.example;;Kerkstraat %d;2000;Antwerpen;BE;nl;;F2026-%06d;2026-%02d-%02d;"
                    "2026-%02d-%02d;%d,%02d;EUR;\n" % (i, name, i, 1 + i % 200, i, month, day, month + 1, day,
                                                       cents // 100, cents % 100))


if __name__ == "__main__":
    main()

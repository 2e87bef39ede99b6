#!/usr/bin/env python3
"""Generate the synthetic address gazetteer for the sample district content pack.

Every street, locality and UPRN here is invented. UPRNs are 12 digits starting with "9" so
they can never be mistaken for a real council's LLPG records. Coordinates are spread around
Maidstone (about 51.27 N, 0.52 E) so that maps and distance checks look plausible.

The output is deterministic: running this script reproduces the committed gazetteer.json byte
for byte. Pseudo-random values come from SHA-256 of a fixed key, not from the `random`
module, so they do not depend on the Python version.

Usage:
    python3 assets/tools/generate_sample_gazetteer.py            # write the pack's gazetteer.json
    python3 assets/tools/generate_sample_gazetteer.py --check    # exit 1 if the file differs
    python3 assets/tools/generate_sample_gazetteer.py --output FILE
"""

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

PACK_DIR = Path(__file__).resolve().parent.parent / "packs" / "sample-district"
DEFAULT_OUTPUT = PACK_DIR / "gazetteer.json"

TOWN = "Maidstone"
FIRST_UPRN = 900000100001  # 12 digits, starts with 9: clearly synthetic

# Rough centre of each postcode district, so the districts sit where they do on a real map:
# ME14 north and east of the town centre, ME15 south, ME16 west, ME17 the villages south-east.
DISTRICT_CENTRES = {
    "ME14": (51.2840, 0.5420),
    "ME15": (51.2550, 0.5300),
    "ME16": (51.2700, 0.4930),
    "ME17": (51.2300, 0.6050),
}
DISTRICT_SPREAD = 0.0120  # degrees either side of the district centre


def houses(street, numbers):
    """Numbered houses on a street: "12 Acorn Way"."""
    return [f"{number} {street}" for number in numbers]


def flats(building_number, building, count):
    """Flats in a numbered block: "Flat 2, 14 Orchard Court"."""
    return [f"Flat {flat}, {building_number} {building}" for flat in range(1, count + 1)]


def named(street, names):
    """Named houses without a number, as in many villages: "Rose Cottage, Yew Tree Lane"."""
    return [f"{name}, {street}" for name in names]


# Postcode -> (locality, first address lines in the order a resident would expect to see them).
# Inward codes use only the letters Royal Mail allows there (no C, I, K, M, O or V).
POSTCODES = [
    # ME14
    ("ME14 1AA", "Oakhurst", houses("Acorn Way", range(1, 13))),
    ("ME14 1AB", "Oakhurst", houses("Acorn Way", range(13, 27))),
    ("ME14 1BD", "Oakhurst", houses("Kingfisher Close", range(1, 15))),
    ("ME14 2DE", "Hazelden", flats(14, "Orchard Court", 8) + flats(16, "Orchard Court", 8)),
    ("ME14 2DF", "Hazelden", houses("Hawthorn Avenue", range(2, 31, 2))),
    ("ME14 3LP", "Hazelden", houses("Bluebell Lane", range(1, 22, 2))),
    ("ME14 4NW", "Kestrel Green", houses("Chestnut Drive", range(1, 13))),
    ("ME14 5QT", "Kestrel Green",
     houses("Heron Way", range(1, 8)) + houses("Nightingale Gardens", range(1, 7))),
    ("ME14 5UX", "Kestrel Green", flats(1, "Wren Court", 12)),
    # ME15
    ("ME15 6AB", "Millbrook", houses("Meadowsweet Road", range(1, 16))),
    ("ME15 6AD", "Millbrook", houses("Larkspur Road", range(1, 19, 2))),
    ("ME15 7BH", "Millbrook", houses("Primrose Walk", range(1, 11))),
    ("ME15 7DJ", "Foxley Heath", houses("Rowan Crescent", range(2, 27, 2))),
    ("ME15 8GL", "Foxley Heath", houses("Sorrel Way", range(1, 12))),
    ("ME15 8HN", "Foxley Heath", flats(2, "Swallow Court", 10) + flats(4, "Swallow Court", 6)),
    ("ME15 9PS", "Rookhurst", houses("Teasel Close", range(1, 9))),
    ("ME15 9RW", "Rookhurst", houses("Mallard Close", range(1, 13))),
    # ME16
    ("ME16 8AN", "Willowfield", houses("Foxglove Close", range(1, 11))),
    ("ME16 8BQ", "Willowfield", houses("Goldfinch Road", range(1, 24, 2))),
    ("ME16 8DT", "Willowfield", houses("Juniper Close", range(1, 9))),
    ("ME16 9EU", "Ashmere", houses("Linnet Way", range(2, 25, 2))),
    ("ME16 9FX", "Ashmere", houses("Pippin Road", range(1, 15))),
    ("ME16 0GY", "Copperfield", houses("Quince Gardens", range(1, 10))),
    ("ME16 0HZ", "Copperfield", houses("Russet Avenue", range(1, 12))),
    # ME17
    ("ME17 1AE", "Little Harling", houses("Oast View", range(1, 9))),
    ("ME17 1BG", "Little Harling", houses("Hopfield Row", range(1, 11))),
    ("ME17 2DL", "Ashby Cross",
     named("Yew Tree Lane", ["Rose Cottage", "The Old Forge", "Meadow View", "Hop Kiln House",
                             "Brook Cottage", "Little Orchard"])),
    ("ME17 2EN", "Ashby Cross", houses("Cobnut Close", range(1, 10))),
    ("ME17 3FP", "Bramley Green", houses("Damson Drive", range(1, 14))),
    ("ME17 3GR", "Bramley Green", houses("Badger Rise", range(1, 8))),
    ("ME17 4HS", "Hollybourne",
     houses("Thistle Lane", range(1, 6))
     + named("Thistle Lane", ["Thistle Farm", "The Granary", "Pear Tree Cottage"])),
    ("ME17 4JT", "Hollybourne", houses("Wagtail Walk", range(1, 12))),
]


def unit(*key):
    """A stable pseudo-random number in [0, 1) for a key."""
    digest = hashlib.sha256("|".join(str(part) for part in key).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def build_addresses():
    addresses = []
    uprn = FIRST_UPRN
    for postcode, locality, first_lines in POSTCODES:
        district = postcode.split(" ")[0]
        centre_lat, centre_lon = DISTRICT_CENTRES[district]
        # Where the postcode sits in its district, and which way its street runs.
        lat0 = centre_lat + (unit(postcode, "lat") * 2 - 1) * DISTRICT_SPREAD
        lon0 = centre_lon + (unit(postcode, "lon") * 2 - 1) * DISTRICT_SPREAD * 1.6
        bearing = unit(postcode, "bearing") * 2 * math.pi
        for index, line in enumerate(first_lines):
            # Houses step along the street (about 10 m apart); flats in one block share a spot.
            step = 0 if line.startswith("Flat ") else index
            lat = lat0 + math.cos(bearing) * step * 0.00009 + (unit(line, postcode, "dy") - 0.5) * 0.00004
            lon = lon0 + math.sin(bearing) * step * 0.00014 + (unit(line, postcode, "dx") - 0.5) * 0.00006
            addresses.append({
                "uprn": str(uprn),
                "lines": [line, locality],
                "town": TOWN,
                "postcode": postcode,
                "latitude": round(lat, 5),
                "longitude": round(lon, 5),
            })
            uprn += 1
    return addresses


def render(addresses):
    """One address per line, so changes show up clearly in a diff."""
    rows = [json.dumps(address, ensure_ascii=False) for address in addresses]
    return '{"sample": true,\n "addresses": [\n  ' + ",\n  ".join(rows) + "\n]}\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true",
                        help="compare with the existing file instead of writing it")
    args = parser.parse_args()

    text = render(build_addresses())
    if args.check:
        existing = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if existing != text:
            print(f"{args.output} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

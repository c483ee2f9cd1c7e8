"""Prints the `scale` stops of the viridis, magma and cividis themes from matplotlib's own tables.

Pinned: matplotlib 3.11.2 (only its `_cm_listed.py` is read, as text; nothing is imported),
Python 3.11. Run:  python3 themes/matplotlib_stops.py /path/to/matplotlib/_cm_listed.py [stops]

matplotlib stores each map as 256 sRGB triples in [0, 1]. We keep `stops` evenly spaced entries
(indices round(i * 255 / (stops - 1))) as hex, the way matplotlib.colors.to_hex rounds, and report
the worst OKLab distance between the full 256-entry table and the theme's OKLab interpolation of
the kept stops, so the stop count can be chosen with the error in view (a just-noticeable
difference in OKLab is about 0.02).
"""
import ast
import sys


def load_tables(path):
    tree = ast.parse(open(path, encoding="utf-8").read())
    tables = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name.startswith("_") and name.endswith("_data"):
                try:
                    tables[name[1:-5]] = ast.literal_eval(node.value)
                except ValueError:
                    pass
    return tables


def to_hex(rgb):
    return "#" + "".join(format(round(c * 255), "02x") for c in rgb)


def srgb_to_linear(c):
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def oklab(rgb):
    r, g, b = (srgb_to_linear(c) for c in rgb)
    l = 0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b
    m = 0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b
    s = 0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b
    l, m, s = (v ** (1 / 3) if v >= 0 else -((-v) ** (1 / 3)) for v in (l, m, s))
    return (
        0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
        1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
        0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s,
    )


def worst_error(table, stops):
    keep = [round(i * 255 / (stops - 1)) for i in range(stops)]
    labs = [oklab(tuple(round(c * 255) / 255 for c in table[k])) for k in keep]
    worst = 0.0
    for i, rgb in enumerate(table):
        t = i / 255 * (stops - 1)
        j = min(int(t), stops - 2)
        f = t - j
        mix = [a + (b - a) * f for a, b in zip(labs[j], labs[j + 1])]
        worst = max(worst, sum((a - b) ** 2 for a, b in zip(mix, oklab(rgb))) ** 0.5)
    return keep, worst


def main():
    tables = load_tables(sys.argv[1])
    stops = int(sys.argv[2]) if len(sys.argv) > 2 else 17
    for name in ("viridis", "magma", "cividis"):
        keep, worst = worst_error(tables[name], stops)
        print(f"# {name}: {stops} stops, worst OKLab error vs matplotlib's 256 entries {worst:.4f}")
        hexes = [to_hex(tables[name][k]) for k in keep]
        lines = ",\n".join("  " + ", ".join(f'"{h}"' for h in hexes[i:i + 6]) for i in range(0, len(hexes), 6))
        print(f"scale = [\n{lines},\n]\n")


if __name__ == "__main__":
    main()

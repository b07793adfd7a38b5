"""The gazetteer, read from the data that the pinned `vietnamadminunits` wheel ships
(`data/dataset.db` and `data/converter_2025.json`): the 63 provinces with their districts
and communes as they were before 2025-07-01, the 34 provinces and 3,321 communes since,
and which old commune went into which new one. Read from the installed files, never
downloaded; the package itself is not imported (it pulls in shapely and geopy).

Codes say the era: `p63-40`, `d63-425`, `c63-17392` (before the reform; provinces,
districts, communes) and `p34-40`, `c34-17464` (since). The 63-province data is one
snapshot taken just before the reform: communes merged in earlier rounds (2019-2025)
are known only under their last names.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..ground.fold import fold

REFORM = "2025-07-01"  # Nghị quyết 202/2025/QH15: districts abolished, 63 -> 34 provinces


@dataclass(frozen=True)
class Unit:
    code: str          # p63-40, d63-425, c63-17392, p34-40, c34-17464
    level: str         # province | district | commune
    kind: str          # Tỉnh, Thành phố, Huyện, Quận, Thị xã, Xã, Phường, Thị trấn, Đặc khu
    name: str          # short name: Diễn Châu
    era: int           # 63 (before 2025-07-01) or 34 (since)
    province: str      # code of the province of the same era
    district: str = ""  # code of the district (63-era communes)
    now: str = ""      # code of today's unit (itself for 34-era units)

    @property
    def full(self) -> str:
        return f"{self.kind} {self.name}"


def _data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnamadminunits package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _short(full: str, kind: str) -> str:
    return full[len(kind):].strip() if full.startswith(kind) else full


class Gazetteer:
    """Every unit by code, and by folded short name."""

    def __init__(self, units: list[Unit]):
        self.units = {u.code: u for u in units}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        for u in units:
            self.by_name[fold(u.name)].append(u)

    def lookup(self, name: str) -> list[Unit]:
        return self.by_name.get(fold(name), [])

    def now(self, unit: Unit) -> Unit:
        return self.units.get(unit.now, unit)

    def province_now(self, unit: Unit) -> str:
        """Code of today's province that holds the ground of `unit`."""
        now = self.now(unit)
        return now.code if now.level == "province" else now.province

    @classmethod
    def load(cls, data: Path | None = None) -> Gazetteer:
        return cls(_read(data or _data_dir()))


def _read(data: Path) -> list[Unit]:
    db = sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True)
    conv = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    units: dict[str, Unit] = {}
    new_prov: dict[str, str] = {}   # new province key -> p34 code
    new_ward: dict[tuple[str, str], str] = {}  # (new province key, ward key) -> c34 code
    for prov, pkey, pcode, ward, wkey, wtype, wcode in db.execute(
            "SELECT province, provinceKey, provinceCode, ward, wardKey, wardType, wardCode"
            " FROM admin_units"):
        pcode = f"p34-{pcode}"
        if pcode not in units:  # a province's first commune: the province too
            pk = prov.split()[0] if not prov.startswith("Thành phố") else "Thành phố"
            units[pcode] = Unit(pcode, "province", pk, _short(prov, pk), 34, pcode, now=pcode)
        new_prov[pkey] = pcode
        code = f"c34-{wcode}"
        units[code] = Unit(code, "commune", wtype, _short(ward, wtype), 34, pcode, now=code)
        new_ward[(pkey, wkey)] = code
    # old province -> new province; old commune key -> new commune
    old_prov_now = {old: new_prov[new] for new, olds in conv["DICT_PROVINCE"].items()
                    for old in olds}
    old_ward_now: dict[str, str] = {}
    for pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            for old in olds:
                old_ward_now.setdefault(old, new_ward.get((pkey, wkey), ""))
    for pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            default = next((p for p in parts if p.get("isDefaultNewWard")), parts[0])
            old_ward_now[old] = new_ward.get((pkey, default["newWardKey"]), "")
    # ~10,000 rows, a few dozen provinces and ~700 districts: each made once, when first met
    for (prov, pkey, pcode, dist, dtype, dcode, ward, wtype, wcode, dkey,
         wkey) in db.execute(
            "SELECT province, provinceKey, provinceCode, district, districtType, districtCode,"
            " ward, wardType, wardCode, districtKey, wardKey FROM admin_units_legacy"):
        pnow = old_prov_now.get(pkey, "")
        pcode = f"p63-{pcode}"
        if pcode not in units:
            pk = "Thành phố" if prov.startswith("Thành phố") else "Tỉnh"
            units[pcode] = Unit(pcode, "province", pk, _short(prov, pk), 63, pcode, now=pnow)
        dcode = f"d63-{dcode}"
        if dcode not in units:
            units[dcode] = Unit(dcode, "district", dtype, _short(dist, dtype), 63, pcode,
                                now=pnow)
        if ward and wcode:
            code = f"c63-{wcode}"
            now = old_ward_now.get(f"{pkey}_{dkey}_{wkey}") or pnow
            units[code] = Unit(code, "commune", wtype, _short(ward, wtype), 63, pcode,
                               dcode, now)
    db.close()
    return list(units.values())


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The one gazetteer of this process, read on first use."""
    return Gazetteer.load()

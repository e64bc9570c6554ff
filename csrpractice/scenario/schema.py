"""The scenario format as data: one declaration checks files (with did-you-mean) and emits a JSON Schema."""
from __future__ import annotations

from dataclasses import dataclass, field

from csrpractice.scenario.diagnostics import Diagnostic, did_you_mean
from csrpractice.scenario.yamlsrc import Source


def _type_name(value) -> str:
    if value is None:
        return "nothing (null)"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)


class Spec:
    doc = ""

    def check(self, value, path: tuple, src: Source, errs: list[Diagnostic]) -> None:
        raise NotImplementedError

    def expected(self) -> str:
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError

    def _wrong(self, value, path, src, errs):
        errs.append(src.error(path, f"expected {self.expected()}, found {_type_name(value)}"))


@dataclass
class Str(Spec):
    doc: str = ""
    non_empty: bool = True
    pattern: str | None = None
    pattern_help: str = ""

    def check(self, value, path, src, errs):
        import re

        if not isinstance(value, str):
            return self._wrong(value, path, src, errs)
        if self.non_empty and not value.strip():
            errs.append(src.error(path, "expected text, found an empty string"))
        elif self.pattern and not re.fullmatch(self.pattern, value):
            errs.append(src.error(path, f"{value!r} is not valid: {self.pattern_help}"))

    def expected(self):
        return "text"

    def schema(self):
        s = {"type": "string", "description": self.doc}
        if self.pattern:
            s["pattern"] = f"^{self.pattern}$"
        elif self.non_empty:
            s["minLength"] = 1
        return s


@dataclass
class Num(Spec):
    doc: str = ""
    integer: bool = False
    min: float | None = None
    max: float | None = None

    def check(self, value, path, src, errs):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (self.integer and isinstance(value, float)):
            return self._wrong(value, path, src, errs)
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            errs.append(src.error(path, f"expected {self.expected()}, found {value}"))

    def expected(self):
        kind = "a whole number" if self.integer else "a number"
        if self.min is not None and self.max is not None:
            return f"{kind} from {self.min:g} to {self.max:g}"
        if self.min is not None:
            return f"{kind} of at least {self.min:g}"
        return kind

    def schema(self):
        s = {"type": "integer" if self.integer else "number", "description": self.doc}
        if self.min is not None:
            s["minimum"] = self.min
        if self.max is not None:
            s["maximum"] = self.max
        return s


@dataclass
class Bool(Spec):
    doc: str = ""

    def check(self, value, path, src, errs):
        if not isinstance(value, bool):
            self._wrong(value, path, src, errs)

    def expected(self):
        return "true or false"

    def schema(self):
        return {"type": "boolean", "description": self.doc}


@dataclass
class Scalar(Spec):
    doc: str = ""

    def check(self, value, path, src, errs):
        if not isinstance(value, (str, int, float, bool)):
            self._wrong(value, path, src, errs)

    def expected(self):
        return "a plain value (text, number or true/false)"

    def schema(self):
        return {"type": ["string", "number", "boolean"], "description": self.doc}


@dataclass
class Enum(Spec):
    values: tuple = ()
    doc: str = ""

    def check(self, value, path, src, errs):
        if value not in self.values or isinstance(value, bool):
            hint = did_you_mean(value, self.values) if isinstance(value, str) else ""
            errs.append(src.error(path, f"expected {self.expected()}, found {value!r}{hint}"))

    def expected(self):
        return "one of " + ", ".join(map(str, self.values))

    def schema(self):
        return {"enum": list(self.values), "description": self.doc}


@dataclass
class ListOf(Spec):
    item: Spec = None
    doc: str = ""
    min_items: int = 0
    single_ok: bool = False  # a single value may stand for a list of one

    def check(self, value, path, src, errs):
        if self.single_ok and not isinstance(value, list):
            return self.item.check(value, path, src, errs)
        if not isinstance(value, list):
            return self._wrong(value, path, src, errs)
        if len(value) < self.min_items:
            errs.append(src.error(path, f"expected at least {self.min_items} item(s), found {len(value)}"))
        for i, v in enumerate(value):
            self.item.check(v, path + (i,), src, errs)

    def expected(self):
        return f"a list of {self.item.expected()}"

    def schema(self):
        s = {"type": "array", "items": self.item.schema(), "description": self.doc}
        if self.min_items:
            s["minItems"] = self.min_items
        if self.single_ok:
            return {"anyOf": [self.item.schema(), s], "description": self.doc}
        return s


@dataclass
class MapOf(Spec):
    value: Spec = None
    doc: str = ""
    min_items: int = 0
    key_pattern: str = r"[a-z][a-z0-9_]*"
    key_help: str = "names are lowercase letters, digits and underscores, starting with a letter"

    def check(self, value, path, src, errs):
        import re

        if not isinstance(value, dict):
            return self._wrong(value, path, src, errs)
        if len(value) < self.min_items:
            errs.append(src.error(path, f"expected at least {self.min_items} entr{'y' if self.min_items == 1 else 'ies'}"))
        for k, v in value.items():
            if not isinstance(k, str) or not re.fullmatch(self.key_pattern, k):
                errs.append(src.error(path + (k,), f"{k!r} is not a valid name: {self.key_help}", key=True))
            self.value.check(v, path + (k,), src, errs)

    def expected(self):
        return "a mapping of names"

    def schema(self):
        return {"type": "object", "description": self.doc, "propertyNames": {"pattern": f"^{self.key_pattern}$"},
                "additionalProperties": self.value.schema(), **({"minProperties": self.min_items} if self.min_items else {})}


@dataclass
class Obj(Spec):
    fields: dict[str, Spec] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    doc: str = ""
    exactly_one_of: tuple[str, ...] = ()  # e.g. a branch has either goto or else
    name: str = "a mapping"

    def check(self, value, path, src, errs):
        if not isinstance(value, dict):
            return self._wrong(value, path, src, errs)
        for k, v in value.items():
            if k not in self.fields:
                errs.append(src.error(path + (k,), f"unknown key {k!r}{did_you_mean(str(k), self.fields)}; "
                                                   f"expected one of: {', '.join(self.fields)}", key=True))
            else:
                self.fields[k].check(v, path + (k,), src, errs)
        for k in self.required:
            if k not in value:
                errs.append(src.error(path, f"missing required key {k!r} ({self.fields[k].doc or self.fields[k].expected()})"))
        if self.exactly_one_of:
            present = [k for k in self.exactly_one_of if k in value]
            if len(present) != 1:
                errs.append(src.error(path, f"expected exactly one of {' or '.join(map(repr, self.exactly_one_of))}"
                                            + (f", found {' and '.join(map(repr, present))}" if present else "")))

    def expected(self):
        return self.name

    def schema(self):
        s = {"type": "object", "description": self.doc, "additionalProperties": False,
             "properties": {k: v.schema() for k, v in self.fields.items()}}
        if self.required:
            s["required"] = list(self.required)
        if self.exactly_one_of:
            s["oneOf"] = [{"required": [k]} for k in self.exactly_one_of]
        return s


@dataclass
class OneOf(Spec):
    """A value of one of several shapes, chosen by its YAML type (text or mapping, say)."""

    options: tuple[Spec, ...] = ()
    doc: str = ""

    def _pick(self, value):
        for opt in self.options:
            base = opt
            if isinstance(base, (Str, Enum)) and isinstance(value, str):
                return opt
            if isinstance(base, (Obj, MapOf)) and isinstance(value, dict):
                return opt
            if isinstance(base, Num) and isinstance(value, (int, float)) and not isinstance(value, bool):
                return opt
        return None

    def check(self, value, path, src, errs):
        opt = self._pick(value)
        if opt is None:
            return self._wrong(value, path, src, errs)
        opt.check(value, path, src, errs)

    def expected(self):
        return " or ".join(o.expected() for o in self.options)

    def schema(self):
        return {"anyOf": [o.schema() for o in self.options], "description": self.doc}

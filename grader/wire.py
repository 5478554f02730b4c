"""Turning the sandbox's replies into plain values, trusting nothing in them.

Only JSON scalars, lists, tuples, string-keyed dicts and numeric ndarrays (built from raw bytes
with a dtype checked against the numeric kinds, as the base ndarray class) come out of `decode`.
Anything else the student's code returned stays in the sandbox and is represented here by an
inert `RemoteObject` handle.
"""
import base64
import math
import re

import numpy as np

NUMERIC_KINDS = "biufc"
NUMERIC_DTYPE = re.compile(r"^[<>|=][biufc](1|2|4|8|16)$")
MAX_ELEMENTS = 10 ** 8


class BadReply(Exception):
    """The sandbox sent something that is not a well-formed plain value."""


class RemoteObject:
    """A handle to an object that stays in the sandbox. It never compares equal to anything but
    itself and has no truth value or array form, so a forged `__eq__` cannot reach a verdict."""

    def __init__(self, session, key, type_name, text):
        self._session, self._key = session, key
        self.type_name, self.text = type_name, text

    @property
    def __bpkit_type__(self):
        return self.type_name

    def __repr__(self):
        return f"<{self.type_name} object in the sandbox: {self.text}>"

    def __eq__(self, other):
        return self is other

    __hash__ = object.__hash__

    def __bool__(self):
        raise TypeError(f"a {self.type_name} object returned by the submission has no trusted "
                        "truth value")

    def __array__(self, *args, **kwargs):
        raise TypeError(f"the submission returned a {self.type_name} object, not an array")

    def __getattr__(self, attr):
        if attr.startswith("_"):
            raise AttributeError(attr)
        return self._session.request({"op": "getattr", "target": {"ref": self._key},
                                      "attr": attr})

    def __call__(self, *args, **kwargs):
        return self._session.call({"ref": self._key}, args, kwargs)


def _operator(name, reflected=False):
    def method(self, *other):
        args = [self, *other] if not reflected else [*other, self]
        return self._session.request({"op": "operator", "fn": name,
                                      "args": [self._session.encode(a) for a in args]})
    return method


for _name in ("add", "sub", "mul", "truediv", "pow", "matmul", "floordiv", "mod"):
    setattr(RemoteObject, f"__{_name}__", _operator(_name))
    setattr(RemoteObject, f"__r{_name}__", _operator(_name, reflected=True))
RemoteObject.__neg__ = _operator("neg")


def encode(value, depth=0):
    """Encode a trusted value (the grader's own test input) for the sandbox."""
    if depth > 20:
        raise ValueError("test input nested too deeply")
    if isinstance(value, RemoteObject):
        return {"$ref": value._key}
    if hasattr(value, "__bpkit_source__"):  # bpkit.checks.portable: a test's own function
        return {"$fn": str(value.__bpkit_source__)}
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.require(np.asarray(value), requirements="C")
        if array.dtype.kind not in NUMERIC_KINDS:
            raise TypeError(f"cannot send an array of dtype {array.dtype} to the sandbox")
        return {"$nd": base64.b64encode(array.tobytes()).decode(), "$dt": array.dtype.str,
                "$sh": list(array.shape), "$scalar": int(isinstance(value, np.generic))}
    if isinstance(value, (list, tuple)):
        tag = "$list" if isinstance(value, list) else "$tuple"
        return {tag: [encode(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {"$dict": [[str(k), encode(v, depth + 1)] for k, v in value.items()]}
    raise TypeError(f"cannot send a {type(value).__name__} to the sandbox")


def decode(data, session=None, depth=0):
    """Decode a value the sandbox sent: plain data or RemoteObject handles, nothing else."""
    if depth > 25:
        raise BadReply("value nested too deeply")
    if data is None or type(data) in (bool, int, str):
        return data
    if type(data) is float:
        return data
    if type(data) is list:
        return [decode(v, session, depth + 1) for v in data]
    if type(data) is not dict or len(data) > 5:
        raise BadReply(f"unexpected {type(data).__name__} in a reply")
    if "$float" in data:
        text = data["$float"]
        if text not in ("nan", "inf", "-inf") and not _is_number(text):
            raise BadReply("malformed float")
        return float(text)
    if "$nd" in data:
        return _decode_array(data)
    for tag, kind in (("$list", list), ("$tuple", tuple)):
        if tag in data and type(data[tag]) is list:
            return kind(decode(v, session, depth + 1) for v in data[tag])
    if "$dict" in data and type(data["$dict"]) is list:
        items = data["$dict"]
        if not all(type(p) is list and len(p) == 2 and type(p[0]) is str for p in items):
            raise BadReply("malformed dict")
        return {k: decode(v, session, depth + 1) for k, v in items}
    if "$ref" in data and type(data["$ref"]) is int:
        return RemoteObject(session, data["$ref"], str(data.get("$type", "?"))[:100],
                            str(data.get("$repr", ""))[:200])
    raise BadReply(f"unknown value tag {sorted(data)[:3]}")


def _is_number(text):
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def _decode_array(data):
    """An ndarray from raw bytes, a dtype string and a shape, each checked before use."""
    raw, dtype, shape = data["$nd"], data.get("$dt"), data.get("$sh")
    if (type(raw) is not str or type(dtype) is not str or not NUMERIC_DTYPE.match(dtype)
            or type(shape) is not list or len(shape) > 32
            or not all(type(n) is int and 0 <= n <= MAX_ELEMENTS for n in shape)):
        raise BadReply("malformed array")
    count = math.prod(shape)
    try:
        dtype = np.dtype(dtype)
        raw = base64.b64decode(raw, validate=True)
    except (TypeError, ValueError):
        raise BadReply("malformed array") from None
    if (dtype.kind not in NUMERIC_KINDS or count > MAX_ELEMENTS
            or len(raw) != count * dtype.itemsize):
        raise BadReply("malformed array")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape)
    array = array.astype(dtype.newbyteorder("=")) if dtype.byteorder not in "=|" else array.copy()
    return array[()] if data.get("$scalar") else array

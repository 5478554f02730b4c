"""grader.wire: only plain values come out of a reply; everything else is refused or inert."""
import base64
import io

import numpy as np
import pytest

from grader import wire
from grader.worker import Worker


class FakeShell:
    user_ns = {}


def roundtrip(value):
    return wire.decode(Worker(FakeShell()).encode(value))


def test_plain_values_roundtrip():
    value = {"a": np.arange(6.0).reshape(2, 3), "b": (1, 2.5, None, "s"), "c": [True, np.int64(3)],
             "d": float("nan"), "e": np.float32(1.5)}
    got = roundtrip(value)
    assert np.array_equal(got["a"], value["a"]) and type(got["a"]) is np.ndarray
    assert got["b"] == (1, 2.5, None, "s") and got["c"][1] == 3 and np.isnan(got["d"])
    assert got["e"].dtype == np.float32


def test_forged_objects_stay_inert():
    class Anything:
        def __eq__(self, other):
            return True
    got = roundtrip(Anything())
    assert isinstance(got, wire.RemoteObject) and got != 1 and got != got.text
    with pytest.raises(TypeError):
        np.asarray(got, dtype=float)
    with pytest.raises(TypeError):
        bool(got)


def test_ndarray_subclass_arrives_as_a_plain_ndarray():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, bool)
    got = roundtrip(np.zeros(3).view(Liar))
    assert type(got) is np.ndarray and not (got == np.ones(3)).any()


def array_reply(raw=b"\0" * 8, dtype="<f8", shape=(1,)):
    return {"$nd": base64.b64encode(raw).decode(), "$dt": dtype, "$sh": list(shape)}


def test_object_arrays_never_unpickle():
    buffer = io.BytesIO()
    np.save(buffer, np.array([object()], dtype=object), allow_pickle=True)
    for forged in ({"$nd": base64.b64encode(buffer.getvalue()).decode()},
                   array_reply(dtype="|O8"), array_reply(dtype="|O"), array_reply(dtype="<U2")):
        with pytest.raises(wire.BadReply):
            wire.decode(forged)
    assert isinstance(roundtrip(np.array([1, "x"], dtype=object)), wire.RemoteObject)


@pytest.mark.parametrize("bad", [{"$nd": 5}, {"$nd": "not base64!"}, {"$float": "1e999x"},
                                 {"$dict": [[1, 2]]}, {"$what": 1}, {"$ref": "x"},
                                 {"$nd": base64.b64encode(b"garbage").decode()},
                                 array_reply(shape=(2,)), array_reply(shape=(-1,)),
                                 array_reply(shape=(10 ** 9, 10 ** 9)), array_reply(shape="8"),
                                 array_reply(dtype="f8"), array_reply(dtype="<f3"),
                                 array_reply(dtype={"names": ["a"]}),
                                 dict(array_reply(), **{"$nd": "not base64!"})])
def test_malformed_replies_are_refused(bad):
    with pytest.raises(wire.BadReply):
        wire.decode(bad)


def test_arrays_keep_dtype_shape_and_values_and_become_native_and_writable():
    for value in (np.arange(12.0).reshape(3, 4).T, np.array([[1, -2]], dtype=np.int16),
                  np.array([True, False]), np.array([1 + 2j]), np.zeros((0, 3)),
                  np.arange(4.0).astype(">f8")):
        got = roundtrip(value)
        assert got.shape == value.shape and got.dtype == value.dtype.newbyteorder("=")
        assert np.array_equal(got, value) and got.flags.writeable
    got = wire.decode(wire.encode(np.arange(6.0).reshape(2, 3)))
    assert np.array_equal(got, np.arange(6.0).reshape(2, 3))


def test_numpy_scalars_and_0d_arrays_keep_their_shape():
    assert roundtrip(np.mean(np.ones(3))).shape == ()
    assert roundtrip(np.array(2.5)).shape == ()
    assert roundtrip(np.array([2.5])).shape == (1,)

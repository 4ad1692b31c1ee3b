"""The web chat's per-session bounds: requests in flight, feedback per minute, and the Host names it answers."""
import pytest

from bot.faces.limits import RateLimit, SessionGate, host_name
from bot.sandbox.pool import Busy


def test_a_session_gets_two_requests_in_flight_and_others_are_unaffected():
    gate = SessionGate(per_session=2, retry_after=5.0)
    with gate.admit("a"), gate.admit("a"):
        with pytest.raises(Busy) as refused:
            with gate.admit("a"):
                pass
        assert refused.value.retry_after == 5 and "2 requests" in str(refused.value)
        with gate.admit("b"):
            pass
    with gate.admit("a"), gate.admit("a"):  # places come back when requests end, errors included
        pass


def test_a_place_is_returned_when_the_request_fails():
    gate = SessionGate(per_session=1)
    with pytest.raises(ValueError):
        with gate.admit("a"):
            raise ValueError("boom")
    with gate.admit("a"):
        pass


def test_feedback_is_limited_per_session():
    likes = RateLimit(count=3, window=60.0)
    assert [likes.allow("flood") for _ in range(5)] == [True, True, True, False, False]
    assert likes.allow("someone else")


@pytest.mark.parametrize("header, host", [("127.0.0.1:7860", "127.0.0.1"), ("localhost", "localhost"),
                                          ("[::1]:7860", "::1"), ("evil.example:80", "evil.example"),
                                          ("", "")])
def test_host_name_drops_the_port(header, host):
    assert host_name(header) == host

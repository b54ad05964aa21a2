"""Pairing on its own: codes, tokens, the rate limit and revocation, on a real studio database
with a clock the tests move."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from kiosk.core.errors import PairingError, TooManyWrongCodes
from kiosk.store.db import Store
from kiosk.web.pairing import MIRROR, Pairing, hash_token


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def pairing(studio, clock) -> Pairing:
    return Pairing.for_store(studio.store, clock=clock)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_code_has_six_digits_and_changes_every_two_minutes(pairing, clock):
    code = pairing.current_code()
    assert len(code) == 6 and code.isdigit()
    clock.now += 119
    assert pairing.current_code() == code
    assert pairing.code_seconds_left() == 1
    clock.now += 1
    assert pairing.current_code() != code
    assert pairing.code_seconds_left() == 120


def test_pair_url_carries_the_code_for_the_qr(pairing):
    url = pairing.pair_url("http://192.168.1.20:8470/")
    assert url.startswith(f"http://192.168.1.20:8470/pair?code={pairing.current_code()}&key=")
    assert len(qr_key(pairing)) >= 22  # 128 bits


def test_the_right_code_gives_a_long_token_and_is_used_up(pairing):
    code = pairing.current_code()
    seen = []
    pairing.subscribe(seen.append)
    token = pairing.pair(code, client="10.0.0.7", name="iPad")
    assert len(token) >= 43  # token_urlsafe(32): 256 bits
    assert pairing.device(token).name == "iPad"
    assert seen == [pairing]  # the TV hears of it (to hide the code, say "paired")
    assert pairing.current_code() != code
    with pytest.raises(PairingError):
        pairing.pair(code, client="10.0.0.8")  # single use


def test_a_code_typed_with_a_space_is_accepted(pairing):
    code = pairing.current_code()
    assert pairing.device(pairing.pair(f"{code[:3]} {code[3:]}", client="10.0.0.7"))


def test_five_wrong_codes_lock_out_that_address_even_for_the_right_code(pairing, clock):
    for _ in range(4):
        with pytest.raises(PairingError, match="not the code the TV shows"):
            pairing.pair(wrong(pairing.current_code()), client="10.0.0.66")
    with pytest.raises(TooManyWrongCodes, match="Too many wrong codes; wait 60 seconds"):
        pairing.pair(wrong(pairing.current_code()), client="10.0.0.66")
    clock.now += 20
    with pytest.raises(TooManyWrongCodes, match="wait 40 seconds") as locked:
        pairing.pair(pairing.current_code(), client="10.0.0.66")
    assert locked.value.wait == 40
    # Another device is not punished for it.
    assert pairing.pair(pairing.current_code(), client="10.0.0.7")
    clock.now += 40
    assert pairing.pair(pairing.current_code(), client="10.0.0.66")


def test_wrong_codes_spread_over_more_than_a_minute_do_not_lock_out(pairing, clock):
    for _ in range(8):
        with pytest.raises(PairingError) as error:
            pairing.pair(wrong(pairing.current_code()), client="10.0.0.66")
        assert not isinstance(error.value, TooManyWrongCodes)
        clock.now += 16
    assert pairing.pair(pairing.current_code(), client="10.0.0.66")


def qr_key(pairing: Pairing) -> str:
    return parse_qs(urlsplit(pairing.pair_url("http://192.168.1.20:8470")).query)["key"][0]


def test_guesses_from_many_addresses_pause_typing_but_never_change_the_code(pairing):
    code = pairing.current_code()
    for i in range(19):
        with pytest.raises(PairingError, match="not the code the TV shows"):
            pairing.pair(wrong(code), client=f"10.0.1.{i}")
    with pytest.raises(PairingError, match="typed codes are paused"):
        pairing.pair(wrong(code), client="10.0.1.19")
    assert pairing.current_code() == code  # the photographer's code stays on the TV
    assert pairing.typing_paused
    # From now on every typed code gets the same answer: the pause tells a guesser nothing.
    for typed in (code, wrong(code)):
        with pytest.raises(PairingError, match="typed codes are paused"):
            pairing.pair(typed, client="10.0.0.7")
    assert not pairing.paired_devices()


def test_the_qr_key_pairs_through_paused_typing_and_a_locked_out_address(pairing):
    code = pairing.current_code()
    for i in range(25):
        with pytest.raises(PairingError):
            pairing.pair(wrong(code), client=f"10.0.1.{i % 5}")
    assert pairing.typing_paused and pairing.lockout_left("10.0.1.0")
    token = pairing.pair("", client="10.0.1.0", key=qr_key(pairing))
    assert pairing.device(token) is not None
    with pytest.raises(PairingError):  # used: the next tablet needs the next QR
        pairing.pair("", client="10.0.0.8", key="A" * 22)


def test_a_fresh_code_from_a_tap_pairs_while_a_whole_network_keeps_guessing(pairing, clock):
    for i in range(30):
        with pytest.raises(PairingError):
            pairing.pair("000000", client=f"10.0.2.{i}")
    assert pairing.typing_paused and pairing.wrong_codes_lately() == 30
    fresh = pairing.fresh_code()
    assert len(fresh) == 9 and not pairing.typing_paused
    # Every address of a /24 guesses at the most the per-address limit allows (4 a minute,
    # one short of a lock-out) while the photographer types the new code.
    for second in range(0, 105, 15):  # 105 s of the code's 120
        clock.now += 15
        for host in range(1, 255):
            if second % 60 == 0:
                for _ in range(4):
                    with pytest.raises(PairingError, match="not the code"):
                        pairing.pair("123456789", client=f"10.0.3.{host}")
    assert pairing.current_code() == fresh
    assert pairing.device(pairing.pair(fresh, client="10.0.0.7")) is not None


def test_the_tv_hears_once_when_wrong_codes_start_arriving_and_once_when_typing_pauses(pairing):
    heard = []
    pairing.subscribe(lambda p: heard.append((p.wrong_codes_lately(), p.typing_paused)))
    for i in range(25):
        with pytest.raises(PairingError):
            pairing.pair("000000", client=f"10.0.4.{i}")
    assert heard == [(10, False), (20, True)]


def test_without_guesses_a_fresh_code_is_six_digits_and_the_old_one_stops_working(pairing):
    old = pairing.current_code()
    fresh = pairing.fresh_code()
    assert len(fresh) == 6 and fresh != old
    with pytest.raises(PairingError, match="not the code"):
        pairing.pair(old, client="10.0.0.7")
    assert pairing.pair(fresh, client="10.0.0.7")


def test_a_token_expires_after_twelve_hours(pairing, clock):
    token = pairing.pair(pairing.current_code(), client="10.0.0.7")
    clock.now += 12 * 3600 - 1
    assert pairing.device(token) is not None
    clock.now += 1
    assert pairing.device(token) is None
    assert pairing.paired_devices() == []


def test_revoke_all_forgets_every_device_and_survives_a_restart(studio, pairing, clock):
    tablet = pairing.pair(pairing.current_code(), client="10.0.0.7")
    mirror = pairing.mirror_token()
    assert pairing.revoke_all() == 2
    assert pairing.device(tablet) is None and pairing.device(mirror, MIRROR) is None
    assert pairing.mirror_token() != mirror

    kept = pairing.pair(pairing.current_code(), client="10.0.0.7")
    restarted = Pairing(pairing.devices, clock=clock)
    reopened = Store(studio.store.path)
    try:
        again = Pairing.for_store(reopened, clock=clock)
        assert again.device(kept) is not None and again.device(tablet) is None
    finally:
        reopened.close()
    assert restarted.device(kept) is not None


def test_only_a_hash_of_each_token_is_stored(studio, pairing):
    token = pairing.pair(pairing.current_code(), client="10.0.0.7")
    stored = [row["token_hash"] for row in studio.store.db["devices"].rows]
    assert stored == [hash_token(token)]
    files = [studio.store.path, studio.store.path.with_name(studio.store.path.name + "-wal")]
    assert not any(token.encode() in f.read_bytes() for f in files if f.exists())


def test_a_mirror_token_is_not_a_remote_token_and_the_reverse(pairing):
    mirror = pairing.mirror_token()
    tablet = pairing.pair(pairing.current_code(), client="10.0.0.7")
    assert pairing.device(mirror) is None and pairing.device(mirror, MIRROR) is not None
    assert pairing.device(tablet, MIRROR) is None
    assert pairing.mirror_token() == mirror  # the TV shows the same link until near expiry
    assert pairing.mirror_url("http://10.0.0.2:8470") == f"http://10.0.0.2:8470/mirror/{mirror}"


def test_the_csrf_token_is_bound_to_the_session(pairing):
    one = pairing.pair(pairing.current_code(), client="10.0.0.7")
    two = pairing.pair(pairing.current_code(), client="10.0.0.8")
    assert pairing.csrf_ok(one, pairing.csrf_token(one))
    assert not pairing.csrf_ok(one, pairing.csrf_token(two))
    assert not pairing.csrf_ok(one, None) and not pairing.csrf_ok(one, "")

import socket

import pytest
from pytest_socket import SocketConnectBlockedError

# An address reserved for documentation (RFC 5737): no DNS look-up, never routed.
OUTSIDE = ("192.0.2.1", 80)


def test_a_connection_outside_the_machine_is_refused():
    """The suite runs offline: a socket to another host fails before leaving."""
    # pytest-socket also warns, which the strict suite turns into the failure.
    with (
        pytest.warns(UserWarning, match="192.0.2.1"),
        pytest.raises(SocketConnectBlockedError),
    ):
        socket.create_connection(OUTSIDE, timeout=1)


def test_a_connection_to_this_machine_is_allowed():
    """The live server, the browser and PostgreSQL are reached on localhost."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        with socket.create_connection(server.getsockname(), timeout=1) as client:
            assert client.getpeername() == server.getsockname()

// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_STOP_SIGNAL_HPP
#define ZEROBUFFER_TOOL_STOP_SIGNAL_HPP

// Ctrl-C and SIGTERM ask a running subcommand to stop: it finishes the frame
// at hand, closes its reader or writer (which removes or detaches from the
// buffer) and prints its summary, instead of dying with the buffer left behind.

#include <chrono>

namespace zerobuffer::tool {

/// Installs the handlers of SIGINT and SIGTERM (and ignores SIGPIPE, so that
/// a closed output is an error we report, not a silent death).
void install_stop_handlers();

/// True once SIGINT or SIGTERM arrived.
bool stop_requested() noexcept;

/// For a command that runs threads it does not own (serve's duplex server):
/// blocks SIGINT and SIGTERM in the calling thread, and so in every thread
/// it starts afterwards, so that the signal is taken only by
/// `wait_for_stop_signal` and never interrupts a wait on another thread.
/// Call it before starting any thread. Also ignores SIGPIPE.
void block_stop_signals();

/// Waits at most `timeout` for SIGINT or SIGTERM, blocked by
/// `block_stop_signals`. True when one arrived (then `stop_requested()` is too).
bool wait_for_stop_signal(std::chrono::nanoseconds timeout);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_STOP_SIGNAL_HPP

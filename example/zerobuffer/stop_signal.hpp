// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_STOP_SIGNAL_HPP
#define ZEROBUFFER_TOOL_STOP_SIGNAL_HPP

// Ctrl-C and SIGTERM ask a running subcommand to stop: it finishes the frame
// at hand, closes its reader or writer (which removes or detaches from the
// buffer) and prints its summary, instead of dying with the buffer left behind.

namespace zerobuffer::tool {

/// Installs the handlers of SIGINT and SIGTERM (and ignores SIGPIPE, so that
/// a closed output is an error we report, not a silent death).
void install_stop_handlers();

/// True once SIGINT or SIGTERM arrived.
bool stop_requested() noexcept;

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_STOP_SIGNAL_HPP

// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_PROCESS_HPP
#define ZEROBUFFER_TOOL_BENCH_PROCESS_HPP

// The two-process plumbing every zerobuffer measurement of `bench` repeats:
// attaching to the buffer a freshly forked child creates, the child's reading
// loop, and ending the child.

#include "child.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/wait_strategy.hpp>
#include <zerobuffer/writer.hpp>

#include <chrono>
#include <stdexcept>
#include <string>

namespace zerobuffer::tool::bench {

/// Options of a writer that waits `wait`'s way, patiently: a slow machine
/// (or a sanitizer build) must not turn a benchmark into a timeout.
writer_options connect_options(const wait_strategy& wait);

/// Attaches to the buffer `name` that `child` creates; fails early (instead of
/// after the whole connect timeout) when the child dies first.
writer attach_to_child(const std::string& name, const wait_strategy& wait, child_process& child);

/// Hands every frame of `r` to `on_frame(frame&)` until the writer
/// disconnects. Throws on a read error, or when no frame came for 30 s (a
/// stuck measurement must end); `role` names the reader in those errors.
template <class OnFrame>
void read_until_disconnected(reader& r, const std::string& role, OnFrame&& on_frame)
{
    constexpr auto slice = std::chrono::milliseconds(200);
    constexpr int max_idle_slices = 150; // 30 s
    int idle = 0;
    for (;;) {
        boost::system::error_code ec;
        frame f = r.read_frame(slice, ec);
        if (ec == errc::writer_disconnected) {
            return;
        }
        if (ec) {
            throw boost::system::system_error(ec, role);
        }
        if (!f) {
            if (++idle > max_idle_slices) {
                throw std::runtime_error(role + ": no frame for 30 s");
            }
            continue;
        }
        idle = 0;
        on_frame(f);
    }
}

/// Waits for `child` (named `role` in errors) to exit 0; throws otherwise.
void finish_child(child_process& child, const char* role);

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_PROCESS_HPP

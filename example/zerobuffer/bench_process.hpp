// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_PROCESS_HPP
#define ZEROBUFFER_TOOL_BENCH_PROCESS_HPP

// The two-process plumbing every zerobuffer measurement of `bench` repeats:
// attaching to the buffer a freshly forked child creates, and ending the child.

#include "child.hpp"

#include <zerobuffer/wait_strategy.hpp>
#include <zerobuffer/writer.hpp>

#include <string>

namespace zerobuffer::tool::bench {

/// Options of a writer that waits `wait`'s way, patiently: a slow machine
/// (or a sanitizer build) must not turn a benchmark into a timeout.
writer_options connect_options(const wait_strategy& wait);

/// Attaches to the buffer `name` that `child` creates; fails early (instead of
/// after the whole connect timeout) when the child dies first.
writer attach_to_child(const std::string& name, const wait_strategy& wait, child_process& child);

/// Waits for `child` (named `role` in errors) to exit 0; throws otherwise.
void finish_child(child_process& child, const char* role);

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_PROCESS_HPP

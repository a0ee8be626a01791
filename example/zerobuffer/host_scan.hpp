// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_HOST_SCAN_HPP
#define ZEROBUFFER_TOOL_HOST_SCAN_HPP

// Every zerobuffer on this host, found from its traces: lock files in
// /tmp/zerobuffer, and in /dev/shm a segment NAME with semaphores
// sem.sem-w-NAME / sem.sem-r-NAME. Used by `list` and `cleanup`.

#include "segment_view.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zerobuffer::tool {

/// How a buffer stands.
enum class buffer_state {
    live,     ///< its lock file is held: a reader owns it
    stale,    ///< a lock file nobody holds: its reader died
    orphaned, ///< a segment or semaphores with no lock file
    unknown,  ///< the lock file exists but cannot be probed (e.g. another user's)
};

std::string_view to_string(buffer_state s) noexcept;

/// One buffer and what is left of it.
struct host_buffer {
    std::string name;
    buffer_state state = buffer_state::orphaned;
    bool lock_file = false;
    bool segment = false;
    bool write_semaphore = false;
    bool read_semaphore = false;
    std::optional<segment_status> status; ///< when the segment could be read
    std::string note;                     ///< why something could not be looked at
};

/// Scans the host; only the names in `only` when it is not empty. Sorted by name.
/// Probing a lock file takes it for a moment when nobody holds it (as the
/// protocol's own stale check does) and releases it at once.
std::vector<host_buffer> scan_host(const std::vector<std::string>& only = {});

/// Re-examines one buffer (e.g. just before removing it).
host_buffer scan_buffer(const std::string& name);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_HOST_SCAN_HPP

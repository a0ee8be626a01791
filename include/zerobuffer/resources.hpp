// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_RESOURCES_HPP
#define ZEROBUFFER_RESOURCES_HPP

/// @file
/// The platform resources of a buffer (PROTOCOL.md section 1), name checks, and
/// the clean-up of resources that dead readers left behind (section 7).

#include <zerobuffer/error.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace zerobuffer {

/// Longest buffer name: "sem.sem-w-" + name must fit a file name (255 bytes).
inline constexpr std::size_t max_name_length = 245;

/// Checks a buffer name: non-empty, at most `max_name_length` bytes, valid
/// UTF-8, no '/', no control characters (NUL included), not "." or "..".
/// Returns `errc::invalid_name` or success.
boost::system::error_code validate_name(std::string_view name) noexcept;

/// The names of a buffer's resources on this platform.
struct resource_names {
    std::string segment;         ///< "/NAME" (the file /dev/shm/NAME)
    std::string write_semaphore; ///< "/sem-w-NAME"
    std::string read_semaphore;  ///< "/sem-r-NAME"
    std::string lock_file;       ///< "/tmp/zerobuffer/NAME.lock"
};

/// The resource names of buffer `name`. Precondition: `validate_name(name)` passed.
resource_names names_of(std::string_view name);

/// The directory of lock files, "/tmp/zerobuffer".
const std::string& lock_directory();

/// What a clean-up found and removed.
struct cleanup_report {
    std::vector<std::string> removed_buffers; ///< names whose resources were removed
    std::vector<std::string> live_buffers;    ///< names left alone: a live reader holds them
    /// Names whose reader is dead but whose writer is still attached: left
    /// alone (lock file included) until the writer is gone too.
    std::vector<std::string> kept_buffers;
};

/// Removes the resources of buffers whose reader is gone (PROTOCOL.md section 7):
/// every lock file nobody holds, and the segment and semaphores of that name
/// unless a live peer is still recorded in them. Never touches a buffer whose
/// lock is held by a live reader. `name` empty: every buffer, a lock busy at
/// that instant skipped (another process's clean-up may hold a dead reader's
/// lock for the moment it looks); otherwise only that one, looking again for
/// up to 100 ms while its lock is busy before taking it for a live reader's.
/// With `dry_run` nothing is removed; the report says what would be.
/// Errors of individual files are skipped (another user's files, races).
cleanup_report cleanup_stale_resources(std::string_view name = {}, bool dry_run = false);

} // namespace zerobuffer

#endif // ZEROBUFFER_RESOURCES_HPP

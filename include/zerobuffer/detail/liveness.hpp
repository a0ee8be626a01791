// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_LIVENESS_HPP
#define ZEROBUFFER_DETAIL_LIVENESS_HPP

/// @file
/// Whether a buffer's peer is alive, in a way that holds across PID namespaces
/// (containers sharing /dev/shm and /tmp/zerobuffer see each other's pids as
/// foreign or absent) and survives pid reuse.
///
/// - A reader holds `flock` on its lock file for its whole life (PROTOCOL.md,
///   every implementation does): it is alive while that lock is held.
/// - Our writers hold `flock` on `/tmp/zerobuffer/writer/NAME.PID.lock`, PID
///   being the pid they store in the OIEB: alive while it is held. A writer of
///   another implementation has no such file: then, and only then, liveness
///   falls back to "the pid exists" (`kill(pid, 0)`).

#include <cstdint>
#include <string>
#include <string_view>

namespace zerobuffer::detail {

/// The state of a lock file, probed with a shared non-blocking flock.
enum class lock_state { held, free, absent };

/// Probes `path` without blocking and without creating it. A `free` probe
/// holds a shared lock for an instant, which an owner taking the lock at that
/// moment survives by retrying.
lock_state probe_lock(const std::string& path) noexcept;

/// The writer's lock file of buffer `name` for a writer that stores `pid`.
std::string writer_lock_path(std::string_view name, std::uint64_t pid);

/// The directory of writer lock files, "/tmp/zerobuffer/writer".
const std::string& writer_lock_directory();

/// Whether the writer recorded as `pid` in buffer `name` is alive.
bool writer_alive(std::string_view name, std::uint64_t pid) noexcept;

/// Whether the reader of buffer `name` is alive: its lock is held.
bool reader_lock_held(std::string_view name) noexcept;

/// Removes the writer lock files of buffer `name` that no live writer holds.
void remove_stale_writer_locks(std::string_view name) noexcept;

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_LIVENESS_HPP

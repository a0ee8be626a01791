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
/// `unknown`: it exists but cannot be opened by us (another user's).
enum class lock_state { held, free, absent, unknown };

/// Who owns a file and its permission bits.
struct file_access {
    unsigned uid = 0;
    unsigned gid = 0;
    unsigned mode = 0;
};

/// Probes `path` without blocking and without creating it. A `free` probe
/// holds a shared lock for an instant, which an owner taking the lock at that
/// moment survives by retrying. `owner` receives the file's owner when it exists.
lock_state probe_lock(const std::string& path, file_access* owner = nullptr) noexcept;

/// True when a file owned by `uid`/`gid` may come from a writer of a segment
/// with `segment` access: root, the segment's owner, or a user the segment's
/// mode lets write. A lock file anyone else made proves nothing.
bool may_write(const file_access& segment, unsigned uid, unsigned gid) noexcept;

/// The writer's lock file of buffer `name` for a writer that stores `pid`.
std::string writer_lock_path(std::string_view name, std::uint64_t pid);

/// The directory of writer lock files, "/tmp/zerobuffer/writer".
const std::string& writer_lock_directory();

/// Whether the writer recorded as `pid` in buffer `name`, whose segment has
/// `segment` access, is alive. The writer's lock file counts only when its
/// owner may write the segment (`may_write`): a user without access cannot
/// keep a dead writer alive by holding a lock file of that name.
bool writer_alive(std::string_view name, std::uint64_t pid, const file_access& segment) noexcept;

/// Whether a writer of ours holds the lock file for `pid` (trusted as in
/// `writer_alive`), without the fallback to the pid: tells a live writer
/// from a mark that a live process stored, such as the reader's "repair in
/// progress" (see `writer_impl`).
bool writer_beacon_held(std::string_view name, std::uint64_t pid,
                        const file_access& segment) noexcept;

/// Whether the reader of buffer `name` that stored `pid` is alive: its lock
/// is held (a lock file we cannot open falls back to the pid).
bool reader_alive(std::string_view name, std::uint64_t pid) noexcept;

/// Removes the writer lock files of buffer `name` (every buffer when `name`
/// is empty) that no live writer holds.
void remove_stale_writer_locks(std::string_view name) noexcept;

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_LIVENESS_HPP

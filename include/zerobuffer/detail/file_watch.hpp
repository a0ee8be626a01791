// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_FILE_WATCH_HPP
#define ZEROBUFFER_DETAIL_FILE_WATCH_HPP

/// @file
/// A watch of one file or directory (inotify) whose descriptor an event loop
/// sleeps on beside a semaphore: how an idle side learns that its peer left
/// without waking to look (see `frame_wait::watch_peer`).

#include <chrono>
#include <string>

namespace zerobuffer::detail {

/// What a `file_watch` watches, and so which events make its descriptor
/// readable.
enum class watched_kind {
    /// A lock file a peer holds: closed after it was opened for writing (a
    /// holder's close, and the kernel's when the holder dies), unlinked,
    /// renamed or its attributes changed. Not a read-only open, such as a
    /// liveness probe's: probes would wake the prober. The kernel raises a
    /// close before it releases the file's locks: a probe right after the
    /// event may still find the lock held.
    lock_file,
    /// A directory of lock files: an entry created or moved in (a peer
    /// attaches), or the directory itself gone.
    directory,
};

/// One inotify instance with at most one watch. The instance is made by the
/// first `watch` and kept until destruction, so `fd()` stays the same
/// descriptor once valid; each `watch` of another path replaces the watch.
///
/// Never follows a symlink. Thread safety: none; the owner serializes calls
/// (a reader under its mutex). The descriptor may be polled from any thread;
/// only `drain` reads from it.
class file_watch {
public:
    /// What `watch` did.
    enum class result {
        failed, ///< nothing is watched (no such file, no inotify instance left)
        kept,   ///< the path was watched already: events since then are queued
        made,   ///< the watch begins now: what happened before it shows no event
    };

    file_watch() noexcept = default;
    file_watch(const file_watch&) = delete;
    file_watch& operator=(const file_watch&) = delete;
    ~file_watch();

    /// Watches `path` for the events of `kind`, instead of what was watched.
    result watch(const std::string& path, watched_kind kind) noexcept;

    /// Removes the watch (the descriptor stays, with no events to come).
    void clear() noexcept;

    /// Reads the queued events without blocking; true when there were any
    /// of the current watch (an overflow of the queue counts as one; the
    /// IN_IGNORED of a watch replaced or removed does not). A watch the
    /// kernel ended (its file was deleted) is forgotten: the next `watch`
    /// makes it anew.
    bool drain() noexcept;

    /// The inotify descriptor, readable while events are queued; -1 before
    /// the first successful `watch`.
    int fd() const noexcept { return fd_; }

    /// Whether a path is watched now.
    bool watching() const noexcept { return wd_ >= 0; }

    /// When a `drain` last found events (the clock's epoch before any): the
    /// owner sleeps in slices for a while after it, because an event can
    /// come a moment before what it announces shows (a dying holder's close
    /// before the kernel releases its lock, a peer's new lock file before
    /// the pid it then stores).
    std::chrono::steady_clock::time_point last_event() const noexcept { return last_event_; }

private:
    std::chrono::steady_clock::time_point last_event_{};
    int fd_ = -1;
    int wd_ = -1;
    std::string path_;
    watched_kind kind_ = watched_kind::lock_file;
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_FILE_WATCH_HPP

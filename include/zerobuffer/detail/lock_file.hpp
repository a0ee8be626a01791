// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_LOCK_FILE_HPP
#define ZEROBUFFER_DETAIL_LOCK_FILE_HPP

#include <zerobuffer/error.hpp>

#include <boost/system/error_code.hpp>

#include <dirent.h>

#include <memory>
#include <string>

namespace zerobuffer::detail {

/// Creates the lock directory (mode 01777, like /tmp) if needed and checks
/// that it is a real directory, not a symlink.
void ensure_lock_directory(const std::string& dir, boost::system::error_code& ec);

/// Closes a directory stream.
struct directory_closer {
    void operator()(DIR* d) const noexcept { ::closedir(d); }
};
using directory_stream = std::unique_ptr<DIR, directory_closer>;

/// Opens `path` for listing, refusing a symlink (null on any failure).
directory_stream open_directory_nofollow(const std::string& path) noexcept;

/// A file held with `flock(LOCK_EX)` (PROTOCOL.md section 1: peers probe it with
/// flock, so fcntl locks will not do). Opened without following symlinks and
/// never truncated. Move-only; the lock is released on destruction.
class lock_file {
public:
    lock_file() = default;
    lock_file(lock_file&& other) noexcept;
    lock_file& operator=(lock_file&& other) noexcept;
    lock_file(const lock_file&) = delete;
    lock_file& operator=(const lock_file&) = delete;
    ~lock_file();

    /// Creates or opens `path` and locks it without blocking, retrying briefly
    /// (a clean-up may hold a stale lock for a moment). `reader_already_exists`
    /// when another process holds it. A file that was unlinked while we waited
    /// for it is not ours: the lock is taken on the file now at `path`.
    static lock_file acquire(const std::string& path, unsigned mode, boost::system::error_code& ec);
    /// As above, reporting contention as `busy` instead.
    static lock_file acquire(const std::string& path, unsigned mode, errc busy,
                             boost::system::error_code& ec);

    /// Locks an existing `path` without blocking and without creating it;
    /// not held when someone else holds it or it cannot be opened.
    static lock_file try_acquire_existing(const std::string& path) noexcept;

    /// Unlinks the file if it is still the one we hold, then releases the lock.
    void remove_and_release() noexcept;
    void release() noexcept;

    bool held() const noexcept { return fd_ >= 0; }
    const std::string& path() const noexcept { return path_; }

private:
    bool still_at_path() const noexcept;

    int fd_ = -1;
    std::string path_;
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_LOCK_FILE_HPP

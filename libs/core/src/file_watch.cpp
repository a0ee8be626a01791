// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/detail/file_watch.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <sys/inotify.h>
#include <unistd.h>

namespace zerobuffer::detail {
namespace {

std::uint32_t mask_of(watched_kind kind) noexcept
{
    // IN_ATTRIB: an unlink changes the link count at once, while
    // IN_DELETE_SELF waits for the last descriptor of the file.
    constexpr std::uint32_t always = IN_DONT_FOLLOW | IN_DELETE_SELF | IN_MOVE_SELF;
    switch (kind) {
    case watched_kind::lock_file: return always | IN_CLOSE_WRITE | IN_ATTRIB;
    case watched_kind::directory: return always | IN_ONLYDIR | IN_CREATE | IN_MOVED_TO;
    }
    return always;
}

} // namespace

file_watch::~file_watch()
{
    if (fd_ >= 0) {
        ::close(fd_); // removes the watch with the instance
    }
}

file_watch::result file_watch::watch(const std::string& path, watched_kind kind) noexcept
{
    if (wd_ >= 0 && kind == kind_ && path == path_) {
        return result::kept;
    }
    clear();
    if (fd_ < 0) {
        fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd_ < 0) {
            return result::failed; // EMFILE: the user's instances are used up
        }
    }
    const int wd = ::inotify_add_watch(fd_, path.c_str(), mask_of(kind));
    if (wd < 0) {
        return result::failed;
    }
    try {
        path_ = path;
    } catch (...) {
        ::inotify_rm_watch(fd_, wd);
        return result::failed;
    }
    wd_ = wd;
    kind_ = kind;
    return result::made;
}

void file_watch::clear() noexcept
{
    if (wd_ >= 0) {
        ::inotify_rm_watch(fd_, wd_);
        wd_ = -1;
    }
    path_.clear();
}

bool file_watch::drain() noexcept
{
    if (fd_ < 0) {
        return false;
    }
    bool any = false;
    alignas(inotify_event) char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            break; // EAGAIN: drained
        }
        if (n == 0) {
            break;
        }
        // The kernel writes whole events; each is checked against the bytes
        // read before its name length is trusted. Only the current watch's
        // events count (and an overflow, which may have dropped them): a
        // watch replaced or removed leaves an IN_IGNORED of its own.
        std::size_t at = 0;
        const auto size = static_cast<std::size_t>(n);
        while (size - at >= sizeof(inotify_event)) {
            inotify_event event{};
            std::memcpy(&event, buffer + at, sizeof event);
            if ((event.mask & IN_Q_OVERFLOW) != 0 || (wd_ >= 0 && event.wd == wd_)) {
                any = true;
            }
            if (event.wd == wd_ && wd_ >= 0 && (event.mask & IN_IGNORED) != 0) {
                wd_ = -1; // the kernel ended the watch: the file is gone
                path_.clear();
            }
            if (event.len > size - at - sizeof(inotify_event)) {
                break; // a name past the bytes read: not the kernel's
            }
            at += sizeof(inotify_event) + event.len;
        }
    }
    if (any) {
        last_event_ = std::chrono::steady_clock::now();
    }
    return any;
}

} // namespace zerobuffer::detail

// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/detail/lock_file.hpp>
#include <zerobuffer/error.hpp>

#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace zerobuffer::detail {

namespace {

boost::system::error_code last_error()
{
    return {errno, boost::system::system_category()};
}

/// Opens an existing or new lock file, never through a symlink, never truncating.
/// `created` tells whether this call made the file.
int open_lock_file(const std::string& path, unsigned mode, bool& created)
{
    constexpr int flags = O_NOFOLLOW | O_CLOEXEC;
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | flags, static_cast<mode_t>(mode));
    created = fd >= 0;
    if (fd < 0 && errno == EEXIST) {
        fd = ::open(path.c_str(), O_RDWR | flags);
        if (fd < 0 && errno == EACCES) {
            // Another user's lock file: a read-only descriptor can still flock it.
            fd = ::open(path.c_str(), O_RDONLY | flags);
        }
    }
    return fd;
}

} // namespace

void ensure_lock_directory(const std::string& dir, boost::system::error_code& ec)
{
    ec = {};
    if (::mkdir(dir.c_str(), 01777) == 0) {
        // mkdir applies the umask; the directory is shared like /tmp.
        if (::chmod(dir.c_str(), 01777) != 0) {
            ec = last_error();
        }
        return;
    }
    if (errno != EEXIST) {
        ec = last_error();
        return;
    }
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) {
        ec = last_error();
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        ec = {ENOTDIR, boost::system::system_category()};
    }
}

directory_stream open_directory_nofollow(const std::string& path) noexcept
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return {};
    }
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
        ::close(fd);
    }
    return directory_stream(dir);
}

lock_file::lock_file(lock_file&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_))
{
}

lock_file& lock_file::operator=(lock_file&& other) noexcept
{
    if (this != &other) {
        release();
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
    }
    return *this;
}

lock_file::~lock_file()
{
    release();
}

lock_file lock_file::acquire(const std::string& path, unsigned mode, boost::system::error_code& ec)
{
    return acquire(path, mode, errc::reader_already_exists, ec);
}

lock_file lock_file::acquire(const std::string& path, unsigned mode, errc busy,
                             boost::system::error_code& ec)
{
    ec = {};
    constexpr int attempts = 10;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        bool created = false;
        const int fd = open_lock_file(path, mode, created);
        if (fd < 0) {
            ec = last_error();
            return {};
        }
        lock_file lock;
        lock.fd_ = fd;
        lock.path_ = path;
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ec = {EINVAL, boost::system::system_category()};
            return {};
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK) {
                ec = last_error();
                return {};
            }
            lock.release();
            // A clean-up may hold a dead reader's lock for a moment.
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            ec = busy;
            continue;
        }
        if (!lock.still_at_path()) {
            // A clean-up unlinked the file between our open and our lock.
            lock.release();
            continue;
        }
        if (created && ::fchmod(fd, static_cast<mode_t>(mode)) != 0) {
            ec = last_error();
            lock.remove_and_release();
            return {};
        }
        ec = {};
        return lock;
    }
    if (!ec) {
        ec = busy;
    }
    return {};
}

lock_file lock_file::try_acquire_existing(const std::string& path) noexcept
{
    lock_file lock;
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return lock;
    }
    lock.fd_ = fd;
    lock.path_ = path;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0 || !lock.still_at_path()) {
        lock.release();
    }
    return lock;
}

bool lock_file::still_at_path() const noexcept
{
    struct stat held {};
    struct stat at_path {};
    if (::fstat(fd_, &held) != 0 || ::lstat(path_.c_str(), &at_path) != 0) {
        return false;
    }
    return held.st_dev == at_path.st_dev && held.st_ino == at_path.st_ino;
}

void lock_file::remove_and_release() noexcept
{
    if (fd_ >= 0 && still_at_path()) {
        ::unlink(path_.c_str());
    }
    release();
}

void lock_file::release() noexcept
{
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

} // namespace zerobuffer::detail

// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/detail/liveness.hpp>
#include <zerobuffer/detail/lock_file.hpp>
#include <zerobuffer/detail/process.hpp>
#include <zerobuffer/resources.hpp>

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace zerobuffer::detail {

lock_state probe_lock(const std::string& path, file_access* owner) noexcept
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return errno == ENOENT ? lock_state::absent : lock_state::unknown;
    }
    if (owner != nullptr) {
        struct stat st {};
        if (::fstat(fd, &st) == 0) {
            *owner = {st.st_uid, st.st_gid, st.st_mode & 07777U};
        }
    }
    lock_state state = lock_state::free;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
        state = errno == EWOULDBLOCK ? lock_state::held : lock_state::free;
    } else {
        ::flock(fd, LOCK_UN);
    }
    ::close(fd);
    return state;
}

const std::string& writer_lock_directory()
{
    static const std::string dir = lock_directory() + "/writer";
    return dir;
}

std::string writer_lock_path(std::string_view name, std::uint64_t pid)
{
    return writer_lock_directory() + "/" + std::string(name) + "." + std::to_string(pid) + ".lock";
}

bool may_write(const file_access& segment, unsigned uid, unsigned gid) noexcept
{
    return uid == 0 || uid == segment.uid || (segment.mode & 0002U) != 0 ||
           ((segment.mode & 0020U) != 0 && gid == segment.gid);
}

bool writer_alive(std::string_view name, std::uint64_t pid, const file_access& segment) noexcept
{
    if (pid == 0) {
        return false;
    }
    try {
        file_access lock_owner{~0U, ~0U, 0};
        const lock_state state = probe_lock(writer_lock_path(name, pid), &lock_owner);
        if ((state == lock_state::held || state == lock_state::free) &&
            may_write(segment, lock_owner.uid, lock_owner.gid)) {
            return state == lock_state::held;
        }
    } catch (...) { // allocation of the path failed: fall back
    }
    // No beacon we can trust: a writer of another implementation.
    return process_exists(pid);
}

bool writer_beacon_held(std::string_view name, std::uint64_t pid,
                        const file_access& segment) noexcept
{
    try {
        file_access lock_owner{~0U, ~0U, 0};
        return probe_lock(writer_lock_path(name, pid), &lock_owner) == lock_state::held &&
               may_write(segment, lock_owner.uid, lock_owner.gid);
    } catch (...) { // allocation of the path failed: no beacon we can see
        return false;
    }
}

bool reader_alive(std::string_view name, std::uint64_t pid) noexcept
{
    if (pid == 0) {
        return false;
    }
    try {
        switch (probe_lock(names_of(name).lock_file)) {
        case lock_state::held: return true;
        case lock_state::free:
        case lock_state::absent: return false;
        case lock_state::unknown: break;
        }
    } catch (...) { // allocation of the path failed: fall back
    }
    return process_exists(pid);
}

void remove_stale_writer_locks(std::string_view name) noexcept
{
    try {
        const auto dir = open_directory_nofollow(writer_lock_directory());
        if (!dir) {
            return;
        }
        static constexpr std::string_view suffix = ".lock";
        std::vector<std::string> stale;
        while (const dirent* entry = ::readdir(dir.get())) {
            // NAME.PID.lock: a buffer name, a pid, the suffix.
            const std::string_view file = entry->d_name;
            if (!file.ends_with(suffix)) {
                continue;
            }
            const std::string_view stem = file.substr(0, file.size() - suffix.size());
            const std::size_t dot = stem.rfind('.');
            if (dot == std::string_view::npos || dot == 0 || dot + 1 == stem.size()) {
                continue;
            }
            const std::string_view pid = stem.substr(dot + 1);
            const std::string_view buffer = stem.substr(0, dot);
            if (pid.find_first_not_of("0123456789") != std::string_view::npos ||
                (!name.empty() && buffer != name)) {
                continue;
            }
            // While the buffer exists its reader may still have to find a
            // dead writer's beacon free (without it liveness falls back to a
            // pid, which a zombie or another namespace makes look alive): the
            // reader removes its beacons itself when it closes.
            struct stat st {};
            if (name.empty() && ::lstat(("/dev/shm/" + std::string(buffer)).c_str(), &st) == 0) {
                continue;
            }
            stale.emplace_back(file);
        }
        for (const std::string& file : stale) {
            lock_file lock = lock_file::try_acquire_existing(writer_lock_directory() + "/" + file);
            lock.remove_and_release();
        }
    } catch (...) { // best effort: a leftover file is probed as free later
    }
}

} // namespace zerobuffer::detail

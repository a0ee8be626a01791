// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/detail/liveness.hpp>
#include <zerobuffer/detail/lock_file.hpp>
#include <zerobuffer/detail/process.hpp>
#include <zerobuffer/resources.hpp>

#include <cerrno>
#include <dirent.h>
#include <memory>
#include <vector>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace zerobuffer::detail {

lock_state probe_lock(const std::string& path) noexcept
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return errno == ENOENT ? lock_state::absent : lock_state::free;
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
    return writer_lock_directory() + "/" + std::string(name) + "." + std::to_string(pid) +
           ".lock";
}

bool writer_alive(std::string_view name, std::uint64_t pid) noexcept
{
    if (pid == 0) {
        return false;
    }
    try {
        switch (probe_lock(writer_lock_path(name, pid))) {
        case lock_state::held: return true;
        case lock_state::free: return false;
        case lock_state::absent: return process_exists(pid);
        }
    } catch (...) { // allocation of the path failed: fall back
    }
    return process_exists(pid);
}

bool reader_lock_held(std::string_view name) noexcept
{
    try {
        return probe_lock(names_of(name).lock_file) == lock_state::held;
    } catch (...) {
        return false;
    }
}

void remove_stale_writer_locks(std::string_view name) noexcept
{
    try {
        const std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(writer_lock_directory().c_str()),
                                                     ::closedir);
        if (!dir) {
            return;
        }
        const std::string prefix = std::string(name) + ".";
        static constexpr std::string_view suffix = ".lock";
        std::vector<std::string> stale;
        while (const dirent* entry = ::readdir(dir.get())) {
            const std::string_view file = entry->d_name;
            if (file.size() <= prefix.size() + suffix.size() || !file.starts_with(prefix) ||
                !file.ends_with(suffix)) {
                continue;
            }
            const std::string_view pid =
                file.substr(prefix.size(), file.size() - prefix.size() - suffix.size());
            if (pid.find_first_not_of("0123456789") == std::string_view::npos) {
                stale.emplace_back(file);
            }
        }
        for (const std::string& file : stale) {
            lock_file lock = lock_file::try_acquire_existing(writer_lock_directory() + "/" + file);
            lock.remove_and_release();
        }
    } catch (...) { // best effort: a leftover file is probed as free later
    }
}

} // namespace zerobuffer::detail

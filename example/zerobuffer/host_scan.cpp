// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "host_scan.hpp"

#include <zerobuffer/resources.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <set>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zerobuffer::tool {

namespace {

constexpr std::string_view shm_dir = "/dev/shm";
constexpr std::string_view write_sem_prefix = "sem.sem-w-";
constexpr std::string_view read_sem_prefix = "sem.sem-r-";
constexpr std::string_view lock_suffix = ".lock";

bool file_exists(const std::string& path)
{
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

enum class lock_probe { held, free, error };

/// Is the lock file held? Opened read-only (flock does not need write access)
/// and released at once when we got it.
lock_probe probe_lock(const std::string& path, std::string& note)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        note = "lock file: " + std::string(std::strerror(errno));
        return lock_probe::error;
    }
    lock_probe result = lock_probe::free;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            result = lock_probe::held;
        } else {
            note = "lock file: " + std::string(std::strerror(errno));
            result = lock_probe::error;
        }
    }
    ::close(fd); // releases our lock, if we took it
    return result;
}

std::vector<std::string> list_dir(std::string_view dir)
{
    std::vector<std::string> names;
    const std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(std::string(dir).c_str()), ::closedir);
    if (!d) {
        return names;
    }
    while (const dirent* e = ::readdir(d.get())) {
        const std::string_view n = e->d_name;
        if (n != "." && n != "..") {
            names.emplace_back(n);
        }
    }
    return names;
}

/// Buffer names with a trace on this host.
std::set<std::string> candidate_names()
{
    std::set<std::string> names;
    for (const std::string& f : list_dir(lock_directory())) {
        if (f.size() > lock_suffix.size() && f.ends_with(lock_suffix)) {
            names.insert(f.substr(0, f.size() - lock_suffix.size()));
        }
    }
    std::vector<std::string> segments;
    for (const std::string& f : list_dir(shm_dir)) {
        if (f.starts_with(write_sem_prefix) && f.size() > write_sem_prefix.size()) {
            names.insert(f.substr(write_sem_prefix.size()));
        } else if (f.starts_with(read_sem_prefix) && f.size() > read_sem_prefix.size()) {
            names.insert(f.substr(read_sem_prefix.size()));
        } else if (!f.starts_with("sem.")) {
            segments.push_back(f);
        }
    }
    // A segment with no lock file and no semaphores is ours only when its
    // first bytes are a valid OIEB for its size: other programs use /dev/shm too.
    for (const std::string& s : segments) {
        if (names.count(s) != 0 || validate_name(s)) {
            continue;
        }
        boost::system::error_code ec;
        if (const auto view = segment_view::open(s, ec); view && examine(*view).valid) {
            names.insert(s);
        }
    }
    std::erase_if(names, [](const std::string& n) { return bool(validate_name(n)); });
    return names;
}

} // namespace

std::string_view to_string(buffer_state s) noexcept
{
    switch (s) {
    case buffer_state::live: return "live";
    case buffer_state::stale: return "stale";
    case buffer_state::orphaned: return "orphaned";
    case buffer_state::unknown: return "unknown";
    }
    return "unknown";
}

host_buffer scan_buffer(const std::string& name)
{
    host_buffer b;
    b.name = name;
    const resource_names names = names_of(name);
    const std::string shm = std::string(shm_dir) + "/";
    b.lock_file = file_exists(names.lock_file);
    b.segment = file_exists(shm + name);
    b.write_semaphore = file_exists(shm + std::string(write_sem_prefix) + name);
    b.read_semaphore = file_exists(shm + std::string(read_sem_prefix) + name);

    if (b.segment) {
        boost::system::error_code ec;
        if (const auto view = segment_view::open(name, ec)) {
            b.status = examine(*view);
        } else if (ec.value() != ENOENT) {
            b.note = "segment: " + ec.message();
        } else {
            b.segment = false; // removed while we looked
        }
    }

    if (!b.lock_file) {
        b.state = buffer_state::orphaned;
        return b;
    }
    std::string note;
    switch (probe_lock(names.lock_file, note)) {
    case lock_probe::held: b.state = buffer_state::live; break;
    case lock_probe::free: b.state = buffer_state::stale; break;
    case lock_probe::error:
        // Gone meanwhile (a reader closed): what is left decides.
        if (!file_exists(names.lock_file)) {
            b.lock_file = false;
            b.state = buffer_state::orphaned;
        } else {
            b.state = buffer_state::unknown;
            b.note = note;
        }
        break;
    }
    return b;
}

std::vector<host_buffer> scan_host(const std::vector<std::string>& only)
{
    std::set<std::string> names;
    if (only.empty()) {
        names = candidate_names();
    } else {
        names.insert(only.begin(), only.end());
    }
    std::vector<host_buffer> result;
    for (const std::string& n : names) {
        host_buffer b = scan_buffer(n);
        if (b.lock_file || b.segment || b.write_semaphore || b.read_semaphore) {
            result.push_back(std::move(b));
        }
    }
    return result;
}

} // namespace zerobuffer::tool

// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/detail/liveness.hpp>
#include <zerobuffer/detail/lock_file.hpp>
#include <zerobuffer/detail/process.hpp>
#include <zerobuffer/detail/semaphore.hpp>
#include <zerobuffer/detail/shm_segment.hpp>
#include <zerobuffer/detail/utf8.hpp>
#include <zerobuffer/protocol/oieb.hpp>
#include <zerobuffer/resources.hpp>

#include <dirent.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include <sys/stat.h>

namespace zerobuffer {

namespace {

/// True when the segment of `name` may be removed: it cannot be opened, or no
/// live writer is attached (its reader is known dead: we hold its lock).
bool segment_is_abandoned(std::string_view name, const resource_names& names)
{
    boost::system::error_code ec;
    const detail::shm_segment seg = detail::shm_segment::open(names.segment, true, ec);
    if (ec || seg.size() < protocol::oieb_size) {
        return true;
    }
    const auto snap = protocol::take_snapshot(protocol::oieb_ref(seg.data()));
    return !detail::writer_alive(name, snap.writer_pid, seg.access());
}

/// Takes the lock file at `path` when no live reader holds it. Every
/// reader's creation sweeps the lock files of all buffers, taking each dead
/// reader's lock for the moment it looks at the segment, so a lock can be
/// busy without a live reader. A sweep of every buffer does not wait (the
/// next sweep gets what it skipped); a clean-up of one name (`patient`), which
/// its caller expects to remove a dead buffer, looks again for up to 100 ms,
/// far longer than a sweep's look. Empty when the file disappeared meanwhile
/// (another clean-up removed the buffer); else the lock, held or not.
std::optional<detail::lock_file> take_lock_if_dead(const std::string& path, bool patient)
{
    constexpr int attempts = 20;
    constexpr auto pause = std::chrono::milliseconds(5);
    for (int attempt = 1;; ++attempt) {
        detail::lock_file lock = detail::lock_file::try_acquire_existing(path);
        if (lock.held()) {
            return lock;
        }
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) {
            return std::nullopt;
        }
        if (!patient || attempt == attempts) {
            return lock;
        }
        std::this_thread::sleep_for(pause);
    }
}

} // namespace

boost::system::error_code validate_name(std::string_view name) noexcept
{
    if (name.empty() || name.size() > max_name_length || name == "." || name == "..") {
        return errc::invalid_name;
    }
    for (std::size_t i = 0; i < name.size();) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (c == '/' || c < 0x20 || c == 0x7f) {
            return errc::invalid_name;
        }
        const std::size_t len = detail::utf8_sequence_length(name, i);
        if (len == 0) {
            return errc::invalid_name;
        }
        i += len;
    }
    return {};
}

const std::string& lock_directory()
{
    static const std::string dir = "/tmp/zerobuffer";
    return dir;
}

resource_names names_of(std::string_view name)
{
    const std::string n(name);
    return {"/" + n, "/sem-w-" + n, "/sem-r-" + n, lock_directory() + "/" + n + ".lock"};
}

cleanup_report cleanup_stale_resources(std::string_view only, bool dry_run)
{
    cleanup_report report;
    // Never through a link: whoever replaced the directory with one would
    // choose which segments we remove.
    const auto dir = detail::open_directory_nofollow(lock_directory());
    if (!dir) {
        return report;
    }
    static constexpr std::string_view suffix = ".lock";
    std::vector<std::string> candidates;
    while (const dirent* entry = ::readdir(dir.get())) {
        const std::string_view file = entry->d_name;
        if (file.size() <= suffix.size() || !file.ends_with(suffix)) {
            continue;
        }
        const std::string_view name = file.substr(0, file.size() - suffix.size());
        if (validate_name(name) || (!only.empty() && name != only)) {
            continue;
        }
        candidates.emplace_back(name);
    }
    std::sort(candidates.begin(), candidates.end());
    for (const std::string& name : candidates) {
        const resource_names names = names_of(name);
        std::optional<detail::lock_file> lock = take_lock_if_dead(names.lock_file, !only.empty());
        if (!lock) {
            continue; // removed by another clean-up meanwhile
        }
        if (!lock->held()) {
            // Held by a live reader (or not ours to open): never touched.
            report.live_buffers.push_back(name);
            continue;
        }
        if (!segment_is_abandoned(name, names)) {
            // Keep the lock file too, so that a later clean-up finds the
            // buffer again once its writer has gone.
            report.kept_buffers.push_back(name);
            continue;
        }
        report.removed_buffers.push_back(name);
        if (dry_run) {
            continue;
        }
        detail::shm_segment::remove(names.segment);
        detail::semaphore::remove(names.write_semaphore);
        detail::semaphore::remove(names.read_semaphore);
        detail::remove_stale_writer_locks(name);
        lock->remove_and_release();
    }
    if (only.empty() && !dry_run) {
        // Writers killed after their reader left leave beacons no buffer owns.
        detail::remove_stale_writer_locks({});
    }
    return report;
}

} // namespace zerobuffer

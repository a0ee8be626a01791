// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer cleanup [NAME | --all]: removes what dead readers left behind.
// Stale buffers (a lock file nobody holds) go through the library's own
// clean-up; orphans (segment or semaphores with no lock file) are removed here
// when no live peer is recorded in them. A live reader's buffer is never touched.

#include "commands.hpp"
#include "host_scan.hpp"
#include "json_print.hpp"
#include "options.hpp"

#include <zerobuffer/resources.hpp>

#include <iostream>

#include <fcntl.h>
#include <semaphore.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zerobuffer::tool {

namespace {

const command_help cleanup_help{
    "cleanup", "[NAME | --all] [options]",
    "Removes stale buffers (a lock file nobody holds: the reader died) and orphaned ones\n"
    "(a segment or semaphores without a lock file, with no live reader or writer pid in\n"
    "the segment). Buffers of a live reader are never touched.",
    "  zerobuffer cleanup --all --dry-run\n"
    "  zerobuffer cleanup --all\n"
    "  zerobuffer cleanup demo"};

struct outcome {
    std::string name;
    std::string state;  ///< "stale", "orphaned", "live"
    std::string detail; ///< what was removed, or why it was kept
};

/// Holds NAME's lock file, created by us, while we remove an orphan, so that a
/// reader starting now waits for us instead of losing its fresh segment.
class name_guard {
public:
    explicit name_guard(const std::string& name) : path_(names_of(name).lock_file)
    {
        struct stat st;
        if (::stat(lock_directory().c_str(), &st) != 0) {
            acquired_ = true; // no lock directory: no reader has run since boot
            return;
        }
        fd_ = ::open(path_.c_str(), O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
            acquired_ = true;
        }
    }
    name_guard(const name_guard&) = delete;
    name_guard& operator=(const name_guard&) = delete;
    ~name_guard()
    {
        if (fd_ >= 0) {
            ::unlink(path_.c_str()); // while we hold it: nobody else's file
            ::close(fd_);
        }
    }
    /// False when a reader created the lock file first.
    bool acquired() const noexcept { return acquired_; }

private:
    std::string path_;
    int fd_ = -1;
    bool acquired_ = false;
};

/// Why an orphan must stay, or empty when it may go.
std::string reason_to_keep(const host_buffer& b)
{
    if (b.segment && !b.status) {
        return "segment not readable" + (b.note.empty() ? std::string() : ": " + b.note);
    }
    if (b.status && b.status->reader_alive) {
        return "reader pid " + std::to_string(b.status->oieb.reader_pid) + " is alive";
    }
    if (b.status && b.status->writer_alive) {
        return "writer pid " + std::to_string(b.status->oieb.writer_pid) + " is alive";
    }
    return {};
}

/// Removes an orphan's segment and semaphores; returns what went.
std::string remove_orphan(const std::string& name)
{
    std::string removed;
    const auto note = [&](bool ok, const char* what) {
        if (ok) {
            removed += removed.empty() ? what : std::string(", ") + what;
        }
    };
    note(::shm_unlink(("/" + name).c_str()) == 0, "segment");
    note(::sem_unlink(("/sem-w-" + name).c_str()) == 0, "sem-w");
    note(::sem_unlink(("/sem-r-" + name).c_str()) == 0, "sem-r");
    return removed.empty() ? "nothing left to remove" : removed;
}

void clean_orphans(const std::vector<std::string>& only, bool dry_run,
                   std::vector<outcome>& removed, std::vector<outcome>& kept)
{
    for (const host_buffer& b : scan_host(only)) {
        if (b.state != buffer_state::orphaned) {
            if (b.state == buffer_state::unknown) {
                kept.push_back({b.name, "unknown", b.note});
            }
            continue;
        }
        if (std::string why = reason_to_keep(b); !why.empty()) {
            kept.push_back({b.name, "orphaned", why});
            continue;
        }
        if (dry_run) {
            removed.push_back({b.name, "orphaned", [&] {
                                   std::string s = b.segment ? "segment" : "";
                                   s += b.write_semaphore ? (s.empty() ? "sem-w" : ", sem-w") : "";
                                   s += b.read_semaphore ? (s.empty() ? "sem-r" : ", sem-r") : "";
                                   return s;
                               }()});
            continue;
        }
        const name_guard guard(b.name);
        if (!guard.acquired()) {
            kept.push_back({b.name, "orphaned", "a reader is creating it right now"});
            continue;
        }
        // Look again under the guard: a peer may have appeared meanwhile.
        const host_buffer now = scan_buffer(b.name);
        if (std::string why = reason_to_keep(now); !why.empty()) {
            kept.push_back({b.name, "orphaned", why});
            continue;
        }
        removed.push_back({b.name, "orphaned", remove_orphan(b.name)});
    }
}

void print_text(const std::vector<outcome>& removed, const std::vector<outcome>& kept, bool dry_run)
{
    if (removed.empty() && kept.empty()) {
        std::cout << "nothing to clean up\n";
        return;
    }
    for (const auto& o : removed) {
        std::cout << (dry_run ? "would remove " : "removed ") << o.state << " buffer " << o.name
                  << " (" << o.detail << ")\n";
    }
    for (const auto& o : kept) {
        std::cout << "left alone " << o.state << " buffer " << o.name << " (" << o.detail << ")\n";
    }
}

boost::json::array to_json(const std::vector<outcome>& items)
{
    boost::json::array a;
    for (const auto& o : items) {
        a.emplace_back(
            boost::json::object{{"name", o.name}, {"state", o.state}, {"detail", o.detail}});
    }
    return a;
}

void print_json(const std::vector<outcome>& removed, const std::vector<outcome>& kept, bool dry_run)
{
    const boost::json::object o{
        {"dry_run", dry_run}, {"removed", to_json(removed)}, {"kept", to_json(kept)}};
    write_json(std::cout, o);
    std::cout << std::endl;
}

} // namespace

int run_cleanup(const arguments& args)
{
    po::options_description opts("options");
    {
        auto add = opts.add_options();
        add("all,a", "every buffer on this host");
        add("dry-run,n", "only say what would be removed");
        add("json", "print a JSON object: {\"dry_run\", \"removed\": [...], \"kept\": [...]}");
    }
    po::options_description hidden;
    {
        auto add = hidden.add_options();
        add("name", po::value<std::string>());
    }
    po::positional_options_description pos;
    pos.add("name", 1);

    const auto vm = parse_command(cleanup_help, opts, hidden, pos, args);
    if (!vm) {
        return exit_ok;
    }
    const bool every = vm->count("all") != 0;
    const bool dry_run = vm->count("dry-run") != 0;
    std::vector<std::string> only;
    if (vm->count("name") != 0) {
        if (every) {
            throw usage_error("give a NAME or --all, not both");
        }
        only.push_back(required_name(*vm));
    } else if (!every) {
        throw usage_error("say which buffer: cleanup NAME, or cleanup --all");
    }

    std::vector<outcome> removed;
    std::vector<outcome> kept;
    const cleanup_report report =
        cleanup_stale_resources(only.empty() ? std::string_view() : only.front(), dry_run);
    for (const auto& n : report.removed_buffers) {
        removed.push_back(
            {n, "stale", "lock file, and segment and semaphores unless a live peer is recorded"});
    }
    for (const auto& n : report.live_buffers) {
        kept.push_back({n, "live", "a reader holds its lock"});
    }
    clean_orphans(only, dry_run, removed, kept);

    if (vm->count("json") != 0) {
        print_json(removed, kept, dry_run);
    } else {
        print_text(removed, kept, dry_run);
    }
    return exit_ok;
}

} // namespace zerobuffer::tool

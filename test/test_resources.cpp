// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// CONFORMANCE.md section 7 (system resources): what a buffer leaves in
// /dev/shm and /tmp/zerobuffer, and when, checked on the files themselves.
//
// Other processes on this machine may create readers at any time, and every
// reader construction cleans the stale resources of every dead reader. A test
// that needs stale resources to stay until it looks therefore retries with a
// fresh name when they vanished before it could look; it fails only when
// every attempt shows the wrong behaviour.

#define BOOST_TEST_MODULE resources
#include <boost/test/unit_test.hpp>

#include "support/child_process.hpp"
#include "support/forked.hpp"
#include "support/listing.hpp"
#include "support/naming.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <semaphore.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace zb = zerobuffer;
namespace ts = zerobuffer::test_support;
using patterns = zerobuffer::testing::test_data_patterns;
using namespace std::chrono_literals;

using zerobuffer::test::exit_code;
using zerobuffer::test::fork_child;
using zerobuffer::test::listed;
using zerobuffer::test::unique_name;

/// The files of buffer `name` on Linux (PROTOCOL.md section 1).
struct resource_files {
    std::string segment;
    std::string write_semaphore;
    std::string read_semaphore;
    std::string lock;

    explicit resource_files(const std::string& name)
        : segment("/dev/shm/" + name), write_semaphore("/dev/shm/sem.sem-w-" + name),
          read_semaphore("/dev/shm/sem.sem-r-" + name), lock("/tmp/zerobuffer/" + name + ".lock")
    {
    }

    std::vector<std::string> all() const
    {
        return {segment, write_semaphore, read_semaphore, lock};
    }
};

std::optional<struct stat> stat_of(const std::string& path)
{
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        return std::nullopt;
    }
    return st;
}

std::vector<std::string> existing_resources(const std::string& name)
{
    std::vector<std::string> found;
    for (const auto& path : resource_files(name).all()) {
        if (stat_of(path)) {
            found.push_back(path);
        }
    }
    return found;
}

/// Waits (bounded) until none of `paths` exists; returns those still there.
/// A clean-up in another process may be removing them at this very moment,
/// having taken the lock our own clean-up then found held: it finishes soon.
std::vector<std::string> remaining_after_cleanup(const std::vector<std::string>& paths)
{
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        std::vector<std::string> left;
        for (const auto& path : paths) {
            if (stat_of(path)) {
                left.push_back(path);
            }
        }
        if (left.empty() || std::chrono::steady_clock::now() >= deadline) {
            return left;
        }
        std::this_thread::sleep_for(5ms);
    }
}

std::vector<std::string> remaining_after_cleanup(const std::string& name)
{
    return remaining_after_cleanup(resource_files(name).all());
}

/// The writers' liveness lock files of buffer `name`
/// (/tmp/zerobuffer/writer/NAME.PID.lock).
std::vector<std::string> writer_lock_files(const std::string& name)
{
    std::vector<std::string> found;
    const std::string dir = "/tmp/zerobuffer/writer";
    const std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d) {
        return found;
    }
    const std::string prefix = name + ".";
    while (const dirent* entry = ::readdir(d.get())) {
        const std::string_view file = entry->d_name;
        if (file.starts_with(prefix) && file.ends_with(".lock") &&
            file.substr(prefix.size(), file.size() - prefix.size() - 5)
                    .find_first_not_of("0123456789") == std::string_view::npos) {
            found.push_back(dir + "/" + std::string(file));
        }
    }
    return found;
}

bool contains(const std::vector<std::string>& v, const std::string& x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

/// Reads `size` bytes at `offset` of a file as a little-endian integer.
std::uint64_t read_le(const std::string& path, off_t offset, std::size_t size)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    BOOST_REQUIRE_MESSAGE(fd >= 0, "open " << path << ": " << std::strerror(errno));
    unsigned char bytes[8] = {};
    const ssize_t n = ::pread(fd, bytes, size, offset);
    ::close(fd);
    BOOST_REQUIRE(n == static_cast<ssize_t>(size));
    std::uint64_t v = 0;
    for (std::size_t i = size; i-- > 0;) {
        v = (v << 8) | bytes[i];
    }
    return v;
}

/// True when someone holds an flock on `path` (we cannot take it without blocking).
bool flock_held(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    BOOST_REQUIRE_MESSAGE(fd >= 0, "open " << path << ": " << std::strerror(errno));
    const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return held;
}

/// Makes stale resources of `name`: a reader process killed with SIGKILL.
/// False when some of them vanished before we looked (another process's
/// reader cleaned them), so the caller tries again with another name.
bool make_stale(const std::string& name)
{
    auto peer = ts::start_peer({"hold-reader", name, "--payload-size", "4096"});
    ts::expect_line(*peer, "ready");
    BOOST_REQUIRE(peer->kill().killed_by(SIGKILL));
    return existing_resources(name).size() == 4;
}

constexpr int stale_attempts = 5;

/// The size of the /dev/shm file system, 0 when unknown or unlimited.
std::uint64_t shm_total_bytes()
{
    struct statvfs vfs {};
    if (::statvfs("/dev/shm", &vfs) != 0) {
        return 0;
    }
    return static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize;
}

/// A payload size /dev/shm cannot hold, or 0 when none can be configured.
///
/// It is larger than the whole file system, not merely than its free space:
/// tmpfs rejects a fallocate larger than the file system at once, but one that
/// is only larger than the free space first takes every free page (all of this
/// machine's /dev/shm, shared with other processes) before it fails.
std::uint64_t impossible_payload_size()
{
    constexpr std::uint64_t gib = 1024ULL * 1024 * 1024;
    const std::uint64_t total = shm_total_bytes();
    const std::uint64_t size = total + gib;
    if (total == 0 || size > 1024 * gib) {
        return 0; // no limit we can exceed within buffer_config's 1 TiB
    }
    return size;
}

void expect_exit_code(ts::child_process& peer, int code)
{
    const ts::exit_status s = ts::expect_exit(peer);
    BOOST_TEST((s.exited && s.code == code), "expected exit code " << code << ", got "
                                                                   << s.describe() << ": "
                                                                   << peer.describe());
}

/// Checks the permission bits of every resource of a live buffer.
void check_modes(const std::string& name, unsigned expected)
{
    for (const auto& path : resource_files(name).all()) {
        const auto st = stat_of(path);
        BOOST_TEST_REQUIRE(st.has_value(), path << " is missing");
        BOOST_TEST((st->st_mode & 07777) == expected,
                   path << " has mode 0" << std::oct << (st->st_mode & 07777) << ", expected 0"
                        << expected << std::dec);
    }
}

/// A directory where a resource file of `name` should go: creating that
/// resource fails (EEXIST) and a reader cannot remove it as debris.
class blocking_directory {
public:
    explicit blocking_directory(std::string path) : path_(std::move(path))
    {
        BOOST_REQUIRE_MESSAGE(::mkdir(path_.c_str(), 0700) == 0,
                              "mkdir " << path_ << ": " << std::strerror(errno));
    }
    blocking_directory(const blocking_directory&) = delete;
    blocking_directory& operator=(const blocking_directory&) = delete;
    ~blocking_directory() { ::rmdir(path_.c_str()); }

private:
    std::string path_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(resources)

// CONFORMANCE 7.1: the write semaphore cannot be created; the failed reader
// leaves no segment, no semaphore and no lock file.
BOOST_AUTO_TEST_CASE(c7_1_write_semaphore_failure_leaves_nothing)
{
    const std::string name = unique_name("c7_1_sem_w");
    const resource_files files(name);
    const blocking_directory block(files.write_semaphore);
    BOOST_CHECK_THROW(zb::reader{name}, zb::error);
    const auto left = existing_resources(name);
    BOOST_TEST((left == std::vector<std::string>{files.write_semaphore}),
               "left behind besides our directory:" << listed(left));
}

// CONFORMANCE 7.1: the read semaphore cannot be created after the write
// semaphore was; nothing is left.
BOOST_AUTO_TEST_CASE(c7_1_read_semaphore_failure_leaves_nothing)
{
    const std::string name = unique_name("c7_1_sem_r");
    const resource_files files(name);
    const blocking_directory block(files.read_semaphore);
    BOOST_CHECK_THROW(zb::reader{name}, zb::error);
    const auto left = existing_resources(name);
    BOOST_TEST((left == std::vector<std::string>{files.read_semaphore}),
               "left behind besides our directory:" << listed(left));
}

// CONFORMANCE 7.1: the segment cannot be created (its size exceeds /dev/shm)
// after both semaphores and the lock were; nothing is left, in this process
// and in a reader process.
BOOST_AUTO_TEST_CASE(c7_1_segment_failure_leaves_nothing)
{
    const std::uint64_t payload = impossible_payload_size();
    if (payload == 0) {
        BOOST_WARN_MESSAGE(false, "skipped: /dev/shm has no size limit below 1 TiB");
        return;
    }
    const std::string name = unique_name("c7_1_segment");
    zb::buffer_config config;
    config.payload_size = static_cast<std::size_t>(payload);
    BOOST_CHECK_THROW(zb::reader(name, config), zb::error);
    BOOST_TEST(existing_resources(name).empty(),
               "left behind:" << listed(existing_resources(name)));

    auto peer = ts::start_peer({"hold-reader", name, "--payload-size", std::to_string(payload)});
    BOOST_TEST(ts::expect_line(*peer, "error").starts_with("error system errno="));
    expect_exit_code(*peer, 3);
    BOOST_TEST(existing_resources(name).empty(),
               "left behind:" << listed(existing_resources(name)));
}

// CONFORMANCE 7.2: a reader process that closes removes the segment, both
// semaphores and the lock file, before it exits.
BOOST_AUTO_TEST_CASE(c7_2_reader_process_close_removes_everything)
{
    const std::string name = unique_name("c7_2_process");
    auto peer = ts::start_peer({"hold-reader", name});
    ts::expect_line(*peer, "ready");
    BOOST_TEST(existing_resources(name).size() == 4u,
               "created:" << listed(existing_resources(name)));
    BOOST_REQUIRE(peer->send_line("close"));
    ts::expect_line(*peer, "closed");
    BOOST_TEST(peer->running(), "the peer should still run: close, not exit, removed the files");
    BOOST_TEST(existing_resources(name).empty(),
               "left behind:" << listed(existing_resources(name)));
    peer->close_stdin();
    expect_exit_code(*peer, 0);
}

// CONFORMANCE 7.2 in this process: close() and the destructor remove
// everything, even while a frame is still held (its bytes stay readable).
BOOST_AUTO_TEST_CASE(c7_2_reader_close_and_destructor_remove_everything)
{
    const std::string name = unique_name("c7_2_close");
    {
        zb::reader r(name);
        BOOST_TEST(existing_resources(name).size() == 4u);
        zb::writer w(name);
        w.write_frame(patterns::frame_data(100, 1));
        zb::frame f = r.read_frame(30s);
        BOOST_REQUIRE(f.valid());
        r.close();
        BOOST_TEST(!r.is_open());
        BOOST_TEST(existing_resources(name).empty(),
                   "after close:" << listed(existing_resources(name)));
        BOOST_TEST(patterns::verify_frame(f.bytes(), 1), "a held frame outlives close()");
    }
    const std::string other = unique_name("c7_2_destructor");
    {
        zb::reader r(other);
        BOOST_TEST(existing_resources(other).size() == 4u);
    }
    BOOST_TEST(existing_resources(other).empty(),
               "after destruction:" << listed(existing_resources(other)));
}

// CONFORMANCE 7.3: cleanup_stale_resources() removes what a SIGKILLed reader
// left, and leaves a live reader's buffer alone (it still works afterwards).
BOOST_AUTO_TEST_CASE(c7_3_cleanup_removes_stale_and_keeps_live)
{
    const std::string live = unique_name("c7_3_live");
    auto live_reader = ts::start_peer({"read", live, "--count", "1", "--verify", "--print-frames"});
    ts::expect_line(*live_reader, "ready");

    bool removed_by_us = false;
    for (int attempt = 0; attempt < stale_attempts && !removed_by_us; ++attempt) {
        const std::string stale = unique_name("c7_3_stale_" + std::to_string(attempt));
        if (!make_stale(stale)) {
            continue;
        }
        const zb::cleanup_report report = zb::cleanup_stale_resources();
        const auto left = remaining_after_cleanup(stale);
        BOOST_TEST(left.empty(), "left behind:" << listed(left));
        BOOST_TEST(contains(report.live_buffers, live));
        BOOST_TEST(!contains(report.removed_buffers, live));
        BOOST_TEST(existing_resources(live).size() == 4u,
                   "the live buffer was touched:" << listed(existing_resources(live)));
        removed_by_us = contains(report.removed_buffers, stale);
    }
    BOOST_TEST(removed_by_us, "cleanup_stale_resources() never reported the stale buffer removed");

    // The live buffer still works end to end.
    zb::writer w(live);
    w.write_frame(patterns::frame_data(64, 1));
    BOOST_TEST(ts::expect_line(*live_reader, "frame") == "frame seq=1 size=64 ok");
    expect_exit_code(*live_reader, 0);
}

// CONFORMANCE 7.3: a dry run reports without removing; a clean-up of one name
// removes exactly that buffer.
BOOST_AUTO_TEST_CASE(c7_3_named_cleanup_and_dry_run)
{
    bool checked = false;
    for (int attempt = 0; attempt < stale_attempts && !checked; ++attempt) {
        const std::string stale = unique_name("c7_3_dry_" + std::to_string(attempt));
        if (!make_stale(stale)) {
            continue;
        }
        const zb::cleanup_report dry = zb::cleanup_stale_resources(stale, true);
        if (existing_resources(stale).size() != 4) {
            continue; // removed: by the dry run (a bug) or by another process; try again
        }
        BOOST_TEST((dry.removed_buffers == std::vector<std::string>{stale}));
        BOOST_TEST(dry.live_buffers.empty());
        const zb::cleanup_report real = zb::cleanup_stale_resources(stale);
        const auto left = remaining_after_cleanup(stale);
        BOOST_TEST(left.empty(), "left behind:" << listed(left));
        checked = real.removed_buffers == std::vector<std::string>{stale};
    }
    BOOST_TEST(checked, "no attempt showed a dry run that keeps and a clean-up that removes");
}

/// Forks a process that holds the lock file of `name` exclusively for
/// `hold`, as another process's clean-up does while it looks at a dead
/// buffer, and with `then_remove` removes the buffer's files before it lets
/// go, as that clean-up does when it finds the buffer dead. Returns once the
/// lock is taken: the child's pid, or -1 when it could not take it.
pid_t hold_lock_briefly(const std::string& name, std::chrono::milliseconds hold,
                        bool then_remove = false)
{
    int ready[2];
    BOOST_TEST_REQUIRE(::pipe(ready) == 0);
    const std::string lock_path = zb::names_of(name).lock_file;
    const std::vector<std::string> files = resource_files(name).all();
    const pid_t pid = fork_child([&] {
        ::close(ready[0]);
        const int fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
        const char ok = (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0) ? '1' : '0';
        (void)!::write(ready[1], &ok, 1);
        std::this_thread::sleep_for(hold);
        if (then_remove) {
            for (const std::string& file : files) {
                ::unlink(file.c_str());
            }
        }
        return 0;
    });
    ::close(ready[1]);
    char ok = '0';
    const bool told = ::read(ready[0], &ok, 1) == 1;
    ::close(ready[0]);
    if (!told || ok != '1') {
        exit_code(pid);
        return -1;
    }
    return pid;
}

// CONFORMANCE 7.3: a clean-up of one name removes a dead buffer whose lock
// another process's sweep holds for a moment (every reader's creation sweeps):
// a briefly busy lock is not a live reader. Reported live before.
BOOST_AUTO_TEST_CASE(c7_3_named_cleanup_waits_out_a_concurrent_sweep)
{
    bool checked = false;
    for (int attempt = 0; attempt < stale_attempts && !checked; ++attempt) {
        const std::string stale = unique_name("c7_3_busy_" + std::to_string(attempt));
        if (!make_stale(stale)) {
            continue;
        }
        const pid_t sweeper = hold_lock_briefly(stale, 30ms);
        if (sweeper < 0) {
            continue; // removed by another process before we held it
        }
        const zb::cleanup_report report = zb::cleanup_stale_resources(stale);
        BOOST_TEST(exit_code(sweeper) == 0);
        BOOST_TEST(!contains(report.live_buffers, stale), "a sweep's moment taken for a reader");
        if (report.removed_buffers.empty() && existing_resources(stale).empty()) {
            continue; // another process's sweep removed it right after ours let go
        }
        BOOST_TEST((report.removed_buffers == std::vector<std::string>{stale}));
        const auto left = remaining_after_cleanup(stale);
        BOOST_TEST(left.empty(), "left behind:" << listed(left));
        checked = true;
    }
    BOOST_TEST(checked, "no attempt held a stale buffer's lock during a clean-up of its name");
}

// CONFORMANCE 7.3: a clean-up of one name that waits out another clean-up
// which then removes the buffer reports it neither live nor removed by itself
// (its lock file vanished: someone else removed it). Reported live before.
BOOST_AUTO_TEST_CASE(c7_3_named_cleanup_skips_a_buffer_another_cleanup_removed)
{
    bool checked = false;
    for (int attempt = 0; attempt < stale_attempts && !checked; ++attempt) {
        const std::string stale = unique_name("c7_3_gone_" + std::to_string(attempt));
        if (!make_stale(stale)) {
            continue;
        }
        const pid_t other = hold_lock_briefly(stale, 30ms, true);
        if (other < 0) {
            continue; // removed by another process before we held it
        }
        const zb::cleanup_report report = zb::cleanup_stale_resources(stale);
        BOOST_TEST(exit_code(other) == 0);
        BOOST_TEST(!contains(report.live_buffers, stale), "a removed buffer reported live");
        BOOST_TEST(report.removed_buffers.empty(), "another process's removal claimed");
        BOOST_TEST(report.kept_buffers.empty());
        BOOST_TEST(existing_resources(stale).empty(), "left:" << listed(existing_resources(stale)));
        checked = true;
    }
    BOOST_TEST(checked, "no attempt held a stale buffer's lock during a clean-up of its name");
}

// CONFORMANCE 7.3: the next reader (of any name) removes a dead reader's
// resources, and a reader of the same name is created over them.
BOOST_AUTO_TEST_CASE(c7_3_next_reader_removes_stale)
{
    const std::string stale = unique_name("c7_3_next_stale");
    make_stale(stale);
    {
        const zb::reader other(unique_name("c7_3_next_other"));
        const auto left = remaining_after_cleanup(stale);
        BOOST_TEST(left.empty(), "a new reader left stale resources:" << listed(left));
    }
    const std::string same = unique_name("c7_3_next_same");
    make_stale(same);
    const zb::reader r(same);
    BOOST_TEST(r.health().oieb.reader_pid == static_cast<std::uint64_t>(::getpid()));
}

// CONFORMANCE 7.3: while a writer process is still attached to the buffer of
// a dead reader, a clean-up keeps it; once the writer is gone too, a clean-up
// removes everything, the writer's liveness lock file included.
BOOST_AUTO_TEST_CASE(c7_3_cleanup_waits_for_live_writer_then_removes)
{
    const std::string name = unique_name("c7_3_live_writer");
    const resource_files files(name);
    auto reader = ts::start_peer({"hold-reader", name});
    ts::expect_line(*reader, "ready");
    auto writer = ts::start_peer({"write", name, "--count", "1", "--hold-before-exit"});
    ts::expect_line(*writer, "holding");
    reader->kill();

    const zb::cleanup_report kept = zb::cleanup_stale_resources(name);
    BOOST_TEST(!contains(kept.removed_buffers, name));
    for (const auto& path : {files.segment, files.write_semaphore, files.read_semaphore}) {
        BOOST_TEST(stat_of(path).has_value(), path << " removed although a writer lives");
    }

    writer->kill();
    zb::cleanup_stale_resources(name);
    const auto left = remaining_after_cleanup(name);
    BOOST_TEST(left.empty(), "left behind once the writer died too:" << listed(left));
    BOOST_TEST(writer_lock_files(name).empty(),
               "writer lock files left:" << listed(writer_lock_files(name)));
}

// CONFORMANCE 7.3 when the dead reader is not reaped yet (a zombie: its pid
// still exists, its lock is already released): the clean-up must not remove
// the lock file alone and orphan the segment and semaphores.
BOOST_AUTO_TEST_CASE(c7_3_cleanup_of_unreaped_dead_reader)
{
    const std::string name = unique_name("c7_3_zombie");
    auto reader = ts::start_peer({"hold-reader", name});
    ts::expect_line(*reader, "ready");
    reader->send_signal(SIGKILL);
    BOOST_REQUIRE(reader->wait_for_zombie(30s));

    zb::cleanup_stale_resources(name);
    reader->kill(); // reaps it
    zb::cleanup_stale_resources(name);
    const auto left = remaining_after_cleanup(name);
    BOOST_TEST(left.empty(), "orphaned:" << listed(left));
}

// CONFORMANCE 7.4: while a reader process lives, its resources have exactly
// the protocol's names, its lock file is flock-held, and its pid is in the OIEB.
BOOST_AUTO_TEST_CASE(c7_4_resource_names_while_reader_lives)
{
    const std::string name = unique_name("c7_4_names");
    const zb::resource_names names = zb::names_of(name);
    BOOST_TEST(names.segment == "/" + name);
    BOOST_TEST(names.write_semaphore == "/sem-w-" + name);
    BOOST_TEST(names.read_semaphore == "/sem-r-" + name);
    BOOST_TEST(names.lock_file == "/tmp/zerobuffer/" + name + ".lock");
    BOOST_TEST(zb::lock_directory() == "/tmp/zerobuffer");

    auto peer =
        ts::start_peer({"hold-reader", name, "--payload-size", "8192", "--metadata-size", "256"});
    const std::string ready = ts::expect_line(*peer, "ready");
    const resource_files files(name);

    const auto segment = stat_of(files.segment);
    BOOST_TEST_REQUIRE(segment.has_value());
    BOOST_TEST(segment->st_size == 128 + 256 + 8192);
    BOOST_TEST(read_le(files.segment, 0x00, 4) == 128u, "oieb_size");
    BOOST_TEST(read_le(files.segment, 0x58, 8) == ts::line_number(ready, "pid"), "reader_pid");
    BOOST_TEST(read_le(files.segment, 0x50, 8) == 0u, "writer_pid");

    for (const auto& path : {files.write_semaphore, files.read_semaphore, files.lock}) {
        const auto st = stat_of(path);
        BOOST_TEST(st.has_value(), path << " is missing");
        BOOST_TEST((st && S_ISREG(st->st_mode)), path << " is not a regular file");
    }
    BOOST_TEST(flock_held(files.lock), "the lock file is not flock-held by the reader");

    // The semaphore files are POSIX named semaphores of the protocol's names, at 0.
    for (const auto& sem_name : {names.write_semaphore, names.read_semaphore}) {
        sem_t* sem = ::sem_open(sem_name.c_str(), 0);
        BOOST_TEST_REQUIRE((sem != SEM_FAILED), sem_name << ": " << std::strerror(errno));
        int value = -1;
        BOOST_TEST(::sem_getvalue(sem, &value) == 0);
        BOOST_TEST(value == 0, sem_name << " starts at 0");
        ::sem_close(sem);
    }
    peer->close_stdin();
    expect_exit_code(*peer, 0);
    BOOST_TEST(existing_resources(name).empty(),
               "left behind:" << listed(existing_resources(name)));
}

// CONFORMANCE 7.4 (modes): by default the segment, both semaphores and the
// lock file are 0600, even with an empty umask.
BOOST_AUTO_TEST_CASE(c7_4_default_mode_is_0600)
{
    const std::string name = unique_name("c7_4_mode_default");
    auto peer = ts::start_peer({"hold-reader", name, "--umask", "0"});
    ts::expect_line(*peer, "ready");
    check_modes(name, 0600);
}

// CONFORMANCE 7.4 (modes): a wider mode is applied exactly despite the umask.
BOOST_AUTO_TEST_CASE(c7_4_mode_0666_applied_despite_umask)
{
    const std::string name = unique_name("c7_4_mode_0666");
    auto peer = ts::start_peer({"hold-reader", name, "--mode", "666", "--umask", "077"});
    ts::expect_line(*peer, "ready");
    check_modes(name, 0666);
}

BOOST_AUTO_TEST_CASE(c7_4_mode_0660_applied_despite_umask)
{
    const std::string name = unique_name("c7_4_mode_0660");
    auto peer = ts::start_peer({"hold-reader", name, "--mode", "660", "--umask", "027"});
    ts::expect_line(*peer, "ready");
    check_modes(name, 0660);
}

// CONFORMANCE 7.5: a payload larger than /dev/shm gives a clear error (ENOSPC)
// when the reader is created, not a SIGBUS later.
BOOST_AUTO_TEST_CASE(c7_5_shm_exhaustion_is_a_clear_error)
{
    const std::uint64_t payload = impossible_payload_size();
    if (payload == 0) {
        BOOST_WARN_MESSAGE(false, "skipped: /dev/shm has no size limit below 1 TiB");
        return;
    }
    const std::string name = unique_name("c7_5_enospc");
    zb::buffer_config config;
    config.payload_size = static_cast<std::size_t>(payload);
    try {
        zb::reader r(name, config);
        BOOST_ERROR("a reader of " << payload << " bytes was created on a smaller /dev/shm");
    } catch (const zb::error& e) {
        BOOST_TEST((e.code() == boost::system::errc::no_space_on_device),
                   e.code().message() << " (" << e.what() << ")");
    }

    // In a process of its own: it ends by exit with the error, not by a signal.
    auto peer = ts::start_peer({"hold-reader", name, "--payload-size", std::to_string(payload)});
    BOOST_TEST(ts::expect_line(*peer, "error") == "error system errno=" + std::to_string(ENOSPC));
    const auto status = ts::expect_exit(*peer);
    BOOST_TEST(status.exited, "the reader process died: " << status.describe());
    BOOST_TEST(existing_resources(name).empty(),
               "left behind:" << listed(existing_resources(name)));
}

BOOST_AUTO_TEST_SUITE_END()

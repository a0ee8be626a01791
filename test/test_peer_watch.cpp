// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// How an idle side learns that its peer left without waking to look:
// detail/file_watch.hpp (an inotify watch of a lock file or a directory), and
// frame_wait::watch_peer, which hands a driver the reader's watch of its
// writer's beacon. The writers live in forked processes, killed with SIGKILL
// or closed cleanly; the watch's descriptor must become readable for both,
// and never for a liveness probe of our own.

#define BOOST_TEST_MODULE peer_watch
#include <boost/test/unit_test.hpp>

#include "support/forked.hpp"
#include "support/naming.hpp"

#include <zerobuffer/detail/file_watch.hpp>
#include <zerobuffer/detail/liveness.hpp>
#include <zerobuffer/detail/lock_file.hpp>
#include <zerobuffer/error.hpp>
#include <zerobuffer/frame_wait.hpp>
#include <zerobuffer/reader.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/space_wait.hpp>
#include <zerobuffer/writer.hpp>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace std::chrono_literals;
using zerobuffer::peer_watch;
using zerobuffer::wait_step;
using zerobuffer::wait_strategy;
using zerobuffer::detail::file_watch;
using zerobuffer::detail::watched_kind;
namespace ts = zerobuffer::test;

namespace {

/// Whether `fd` is readable within `timeout`.
bool readable(int fd, std::chrono::milliseconds timeout)
{
    pollfd p{fd, POLLIN, 0};
    int rc = 0;
    while ((rc = ::poll(&p, 1, static_cast<int>(timeout.count()))) < 0 && errno == EINTR) {
    }
    return rc == 1 && (p.revents & POLLIN) != 0;
}

/// A pipe whose ends close with it.
struct pipe_pair {
    int read_end = -1;
    int write_end = -1;
    pipe_pair()
    {
        int fds[2];
        BOOST_TEST_REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
        read_end = fds[0];
        write_end = fds[1];
    }
    pipe_pair(const pipe_pair&) = delete;
    pipe_pair& operator=(const pipe_pair&) = delete;
    ~pipe_pair()
    {
        ::close(read_end);
        ::close(write_end);
    }
    void signal() const { BOOST_TEST_REQUIRE(::write(write_end, "x", 1) == 1); }
    bool wait(std::chrono::milliseconds timeout = 10s) const
    {
        char c = 0;
        return readable(read_end, timeout) && ::read(read_end, &c, 1) == 1;
    }
};

/// A process that holds a lock file (as a peer holds its beacon) until it
/// is killed or told to let go.
struct lock_holder {
    pipe_pair ready;
    pipe_pair release;
    pid_t pid = -1;

    explicit lock_holder(const std::string& path)
    {
        pid = ts::fork_child([&] {
            boost::system::error_code ec;
            auto lock = zerobuffer::detail::lock_file::acquire(path, 0644, ec);
            if (ec) {
                return 3;
            }
            ready.signal();
            release.wait(60s);
            lock.remove_and_release();
            return 0;
        });
        BOOST_TEST_REQUIRE(ready.wait(), "the holder locked " << path);
    }
    lock_holder(const lock_holder&) = delete;
    lock_holder& operator=(const lock_holder&) = delete;
    ~lock_holder()
    {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ts::exit_code(pid);
        }
    }
};

std::string lock_path(const std::string& stem)
{
    return "/tmp/" + stem + ".lock";
}

/// A writer of `name` in a forked process: attached when constructed, then
/// closed cleanly on `close()` or killed on `kill()`; `touch_beacon()` makes
/// it open and close its beacon for writing while it holds it (the event a
/// dying writer raises before the kernel releases its lock).
struct writer_process {
    pipe_pair ready;
    pipe_pair release;
    pipe_pair touched;
    pid_t pid = -1;

    explicit writer_process(const std::string& name)
    {
        pid = ts::fork_child([&] {
            zerobuffer::writer w(name);
            ready.signal();
            char c = 0;
            while (readable(release.read_end, 60s) && ::read(release.read_end, &c, 1) == 1 &&
                   c == 't') {
                const std::string beacon = zerobuffer::detail::writer_lock_path(
                    name, static_cast<std::uint64_t>(::getpid()));
                const int fd = ::open(beacon.c_str(), O_RDWR | O_CLOEXEC);
                if (fd >= 0) {
                    ::close(fd);
                }
                touched.signal();
            }
            w.close();
            return 0;
        });
        BOOST_TEST_REQUIRE(ready.wait(), "the writer attached to " << name);
    }

    void touch_beacon()
    {
        BOOST_TEST_REQUIRE(::write(release.write_end, "t", 1) == 1);
        BOOST_TEST_REQUIRE(touched.wait());
    }
    writer_process(const writer_process&) = delete;
    writer_process& operator=(const writer_process&) = delete;
    ~writer_process() { kill(); }

    void close()
    {
        release.signal();
        BOOST_TEST(ts::exit_code(pid) == 0);
        pid = -1;
    }
    void kill()
    {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ts::exit_code(pid);
            pid = -1;
        }
    }
};

wait_strategy sleeping(std::chrono::milliseconds liveness)
{
    wait_strategy s = wait_strategy::blocking();
    s.liveness_interval = liveness;
    return s;
}

/// Advances `wait` to its next sleep and says what it may watch. Each
/// sleep is cut short at once (`slept(false)`, as a driver whose wait was
/// woken early): the slices pass without their time passing.
peer_watch next_watch(zerobuffer::frame_wait& wait)
{
    BOOST_TEST_REQUIRE((wait.advance() == wait_step::sleep));
    return wait.watch_peer();
}

} // namespace

BOOST_AUTO_TEST_CASE(a_lock_file_watch_fires_when_its_holder_is_killed)
{
    const std::string path = lock_path(ts::unique_name("watch_kill"));
    lock_holder holder(path);
    file_watch watch;
    BOOST_TEST((watch.watch(path, watched_kind::lock_file) == file_watch::result::made));
    BOOST_TEST((watch.watch(path, watched_kind::lock_file) == file_watch::result::kept));
    BOOST_TEST(watch.fd() >= 0);
    // Our own probe opens it read-only: no event, or it would wake the prober.
    BOOST_TEST((zerobuffer::detail::probe_lock(path) == zerobuffer::detail::lock_state::held));
    BOOST_TEST(!readable(watch.fd(), 0ms));
    BOOST_TEST(!watch.drain());

    ::kill(holder.pid, SIGKILL);
    BOOST_TEST(readable(watch.fd(), 10s), "the kernel's close of the holder's lock is an event");
    BOOST_TEST(watch.drain());
    BOOST_TEST(!readable(watch.fd(), 0ms));
    BOOST_TEST(watch.watching()); // the file is still there
    ::unlink(path.c_str());
}

BOOST_AUTO_TEST_CASE(a_lock_file_watch_fires_when_its_holder_removes_it_and_forgets_it)
{
    const std::string path = lock_path(ts::unique_name("watch_close"));
    lock_holder holder(path);
    file_watch watch;
    BOOST_TEST_REQUIRE((watch.watch(path, watched_kind::lock_file) == file_watch::result::made));
    holder.release.signal();
    BOOST_TEST(ts::exit_code(holder.pid) == 0);
    holder.pid = -1;
    BOOST_TEST(readable(watch.fd(), 10s));
    BOOST_TEST(watch.drain());
    // The kernel ended the watch with the file: the next watch of the path
    // is a new one (and fails while there is no such file).
    BOOST_TEST(!watch.watching());
    BOOST_TEST((watch.watch(path, watched_kind::lock_file) == file_watch::result::failed));
}

BOOST_AUTO_TEST_CASE(a_directory_watch_fires_when_an_entry_is_created)
{
    const std::string dir = "/tmp/" + ts::unique_name("watch_dir");
    BOOST_TEST_REQUIRE(::mkdir(dir.c_str(), 0700) == 0);
    {
        file_watch watch;
        BOOST_TEST_REQUIRE((watch.watch(dir, watched_kind::directory) == file_watch::result::made));
        // A directory is not a lock file: the kinds are watched apart.
        BOOST_TEST(!readable(watch.fd(), 0ms));
        const std::string entry = dir + "/beacon.lock";
        const int fd = ::open(entry.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        BOOST_TEST_REQUIRE(fd >= 0);
        ::close(fd);
        BOOST_TEST(readable(watch.fd(), 10s));
        BOOST_TEST(watch.drain());
        ::unlink(entry.c_str());
    }
    ::rmdir(dir.c_str());
}

BOOST_AUTO_TEST_CASE(a_watch_of_a_missing_file_fails_and_watches_nothing)
{
    file_watch watch;
    BOOST_TEST((watch.watch("/tmp/" + ts::unique_name("watch_none") + ".lock",
                            watched_kind::lock_file) == file_watch::result::failed));
    BOOST_TEST(!watch.watching());
    BOOST_TEST(!watch.drain());
}

// CONFORMANCE 2.1: a reader whose driver sleeps watched still reports a
// writer killed by SIGKILL, at once, not at the next liveness check.
BOOST_AUTO_TEST_CASE(conformance_2_1_a_watched_frame_wait_sees_a_killed_writer_at_once)
{
    const std::string name = ts::unique_name("watch_dead");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024});
    writer_process writer(name);
    // A liveness interval of a minute: a look the rate of looks would skip
    // must be made because the watch fired.
    zerobuffer::frame_wait wait(r, 600s, sleeping(60s));
    const peer_watch first = next_watch(wait);
    BOOST_TEST(first.fd == -1, "a wait's first slice is never watched");
    BOOST_TEST((first.until == wait.sleep_until()));
    wait.slept(false);
    BOOST_TEST(next_watch(wait).fd == -1, "the watch is made now: one more look first");
    wait.slept(false);
    const peer_watch watched = next_watch(wait);
    BOOST_TEST_REQUIRE(watched.fd >= 0, "the writer's beacon is watched");
    BOOST_TEST((watched.until > wait.sleep_until()));
    BOOST_TEST(!readable(watched.fd, 0ms));

    writer.kill();
    BOOST_TEST_REQUIRE(readable(watched.fd, 10s), "the watch fired");
    wait.slept(false);
    BOOST_TEST((wait.advance() == wait_step::done));
    BOOST_CHECK_THROW(wait.take_frame(), zerobuffer::writer_dead);
}

// CONFORMANCE 2.5: a writer's clean close wakes the watched sleep; the reader
// reports the disconnect.
BOOST_AUTO_TEST_CASE(conformance_2_5_a_watched_frame_wait_sees_a_clean_close_at_once)
{
    const std::string name = ts::unique_name("watch_closed");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024});
    writer_process writer(name);
    zerobuffer::frame_wait wait(r, 600s, sleeping(60s));
    next_watch(wait);
    wait.slept(false);
    next_watch(wait);
    wait.slept(false);
    const peer_watch watched = next_watch(wait);
    BOOST_TEST_REQUIRE(watched.fd >= 0);

    writer.close();
    BOOST_TEST_REQUIRE(readable(watched.fd, 10s));
    wait.slept(false);
    BOOST_TEST((wait.advance() == wait_step::done));
    BOOST_CHECK_THROW(wait.take_frame(), zerobuffer::writer_disconnected);
}

BOOST_AUTO_TEST_CASE(a_watch_that_fired_while_the_beacon_is_still_held_owes_a_look)
{
    // A dying writer's close event comes before the kernel releases its
    // lock: the look it triggers may find the beacon held. The next sleep
    // is then a slice, so that the look after it sees the lock released.
    const std::string name = ts::unique_name("watch_owed");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024, .wait = sleeping(200ms)});
    writer_process writer(name);
    zerobuffer::frame_wait wait(r, 600s, sleeping(200ms));
    next_watch(wait);
    wait.slept(false);
    next_watch(wait);
    wait.slept(false);
    const peer_watch watched = next_watch(wait);
    BOOST_TEST_REQUIRE(watched.fd >= 0);

    writer.touch_beacon(); // an event while the beacon stays held
    BOOST_TEST_REQUIRE(readable(watched.fd, 10s));
    wait.slept(false);
    BOOST_TEST(next_watch(wait).fd == -1, "after an event the beacon held: a slice first");
    wait.slept(false);
    BOOST_TEST(next_watch(wait).fd == -1, "slices for a liveness interval after the event");
    wait.slept(false);
    std::this_thread::sleep_for(300ms);
    BOOST_TEST(next_watch(wait).fd >= 0, "an interval later, looked at again: watched again");
    wait.slept(false);
}

namespace {

/// Advances `wait` through sleeps, each cut short, until one is watched, and
/// returns that watch. While the beacons' directory is watched, writers that
/// attach anywhere on the machine (other suites, other tests) raise events,
/// and each is worth a liveness interval of slices: `pause` between the
/// sleeps lets those intervals pass.
peer_watch first_watched(zerobuffer::frame_wait& wait, std::chrono::milliseconds pause)
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        const peer_watch watch = next_watch(wait);
        if (watch.fd >= 0) {
            return watch;
        }
        wait.slept(false);
        std::this_thread::sleep_for(pause);
    }
    BOOST_FAIL("no sleep was watched");
    return {};
}

} // namespace

BOOST_AUTO_TEST_CASE(a_directory_event_with_no_pid_yet_is_followed_by_a_slice)
{
    // A writer of ours makes its beacon, then stores its pid: the event of
    // the beacon can come before the pid shows, and storing the pid raises
    // none. After a directory event the next sleep is a slice.
    const std::string name = ts::unique_name("watch_between");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024, .wait = sleeping(200ms)});
    boost::system::error_code ec;
    zerobuffer::detail::ensure_lock_directory(zerobuffer::detail::writer_lock_directory(), ec);
    BOOST_TEST_REQUIRE(!ec);
    zerobuffer::frame_wait wait(r, 600s, sleeping(200ms));
    const peer_watch dir = first_watched(wait, 250ms);
    // A beacon of a writer that has not stored its pid yet.
    const std::string beacon =
        zerobuffer::detail::writer_lock_directory() + "/" + name + ".999999999.lock";
    const int fd = ::open(beacon.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    BOOST_TEST_REQUIRE(fd >= 0);
    ::close(fd);
    BOOST_TEST_REQUIRE(readable(dir.fd, 10s));
    wait.slept(false);
    BOOST_TEST(next_watch(wait).fd == -1, "a slice: the pid may show a moment later");
    wait.slept(false);
    BOOST_TEST(next_watch(wait).fd == -1, "slices for a liveness interval after the event");
    wait.slept(false);
    std::this_thread::sleep_for(250ms);
    first_watched(wait, 250ms); // no writer after all: watched again
    wait.slept(false);
    ::unlink(beacon.c_str());
}

BOOST_AUTO_TEST_CASE(a_watched_frame_wait_with_no_writer_wakes_when_one_attaches)
{
    // With no writer yet, the watch is of the beacons' directory: a writer
    // of ours makes its beacon there before it stores its pid.
    const std::string name = ts::unique_name("watch_attach");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024, .wait = sleeping(200ms)});
    boost::system::error_code ec;
    zerobuffer::detail::ensure_lock_directory(zerobuffer::detail::writer_lock_directory(), ec);
    BOOST_TEST_REQUIRE(!ec);
    zerobuffer::frame_wait idle(r, 600s, sleeping(200ms));
    const peer_watch dir = first_watched(idle, 250ms);
    writer_process writer(name);
    BOOST_TEST(readable(dir.fd, 10s), "a new beacon wakes the sleep");
    idle.slept(false);
    // Slices for an interval after the directory's event, one for the watch
    // of the writer's beacon (made then), and the writer's beacon is watched.
    BOOST_TEST(next_watch(idle).fd == -1);
    idle.slept(false);
    std::this_thread::sleep_for(250ms);
    const peer_watch beacon = first_watched(idle, 250ms);
    writer.kill();
    BOOST_TEST_REQUIRE(readable(beacon.fd, 10s));
    idle.slept(false);
    BOOST_TEST((idle.advance() == wait_step::done));
    BOOST_CHECK_THROW(idle.take_frame(), zerobuffer::writer_dead);
}

namespace {

/// A reader of `name` in a forked process, which never reads: created when
/// constructed, then closed cleanly on `close()` or killed on `kill()`.
struct reader_process {
    pipe_pair ready;
    pipe_pair release;
    pid_t pid = -1;

    explicit reader_process(const std::string& name)
    {
        pid = ts::fork_child([&] {
            zerobuffer::reader r(name, {.payload_size = 4096});
            ready.signal();
            release.wait(60s);
            r.close();
            return 0;
        });
        BOOST_TEST_REQUIRE(ready.wait(), "the reader created " << name);
    }
    reader_process(const reader_process&) = delete;
    reader_process& operator=(const reader_process&) = delete;
    ~reader_process() { kill(); }

    void close()
    {
        release.signal();
        BOOST_TEST(ts::exit_code(pid) == 0);
        pid = -1;
    }
    void kill()
    {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ts::exit_code(pid);
            pid = -1;
        }
    }
};

/// A space wait for a frame that does not fit: the ring of `w` is filled.
zerobuffer::space_wait full_ring_wait(zerobuffer::writer& w)
{
    const std::vector<std::byte> chunk(1000, std::byte{3});
    while (w.try_write_frame(chunk)) {
    }
    return zerobuffer::space_wait(w, chunk.size(), 600s, sleeping(60s));
}

/// Advances `wait` to its third sleep (a slice, the slice that makes the
/// watch, then a watched one) and returns that watch.
template <class Wait>
peer_watch third_watch(Wait& wait)
{
    for (int slice = 0; slice < 2; ++slice) {
        BOOST_TEST_REQUIRE((wait.advance() == wait_step::sleep));
        BOOST_TEST(wait.watch_peer().fd == -1, "slice " << slice << " is not watched");
        wait.slept(false);
    }
    BOOST_TEST_REQUIRE((wait.advance() == wait_step::sleep));
    return wait.watch_peer();
}

} // namespace

// CONFORMANCE 2.2: a write waiting for room, asleep on its watch of the
// reader's lock file, sees the reader killed at once.
BOOST_AUTO_TEST_CASE(conformance_2_2_a_watched_space_wait_sees_a_killed_reader_at_once)
{
    const std::string name = ts::unique_name("watch_reader_dead");
    reader_process reader(name);
    zerobuffer::writer w(name);
    auto wait = full_ring_wait(w);
    const peer_watch watched = third_watch(wait);
    BOOST_TEST_REQUIRE(watched.fd >= 0, "the reader's lock file is watched");
    BOOST_TEST((watched.until > wait.sleep_until()));
    BOOST_TEST(!readable(watched.fd, 0ms));

    reader.kill();
    BOOST_TEST_REQUIRE(readable(watched.fd, 10s), "the watch fired");
    wait.slept(false);
    BOOST_TEST((wait.advance() == wait_step::done));
    BOOST_CHECK_THROW(wait.take_buffer(), zerobuffer::reader_dead);
    w.close(); // a dead reader's buffer is kept while a writer is attached
    zerobuffer::cleanup_stale_resources(name);
}

BOOST_AUTO_TEST_CASE(a_watched_space_wait_sees_a_reader_that_closed)
{
    const std::string name = ts::unique_name("watch_reader_closed");
    reader_process reader(name);
    zerobuffer::writer w(name);
    auto wait = full_ring_wait(w);
    const peer_watch watched = third_watch(wait);
    BOOST_TEST_REQUIRE(watched.fd >= 0);

    reader.close();
    BOOST_TEST_REQUIRE(readable(watched.fd, 10s), "the reader's clean close is an event");
    wait.slept(false);
    BOOST_TEST((wait.advance() == wait_step::done));
    BOOST_CHECK_THROW(wait.take_buffer(), zerobuffer::reader_dead);
}

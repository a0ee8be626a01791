// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Security (doc/security.md): who may attach to a buffer, and what the lock
// directory and lock files let another local user do to us.
//
// Another user is simulated by a child process that drops to `nobody`
// (uid/gid 65534) before it touches a buffer: the tests that need that run as
// root only and are skipped otherwise. The lock directory tests replace /tmp
// in a private mount namespace of a child, so that the shared /tmp/zerobuffer
// of concurrent tests is never touched; they are skipped where that is not
// allowed.

#define BOOST_TEST_MODULE security
#include <boost/test/unit_test.hpp>

#include "support/naming.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace zb = zerobuffer;
using patterns = zerobuffer::testing::test_data_patterns;
using namespace std::chrono_literals;

constexpr uid_t nobody_uid = 65534;
constexpr gid_t nobody_gid = 65534;

using zerobuffer::test::unique_name;

bool is_root()
{
    return ::geteuid() == 0;
}

// Exit codes of the children.
constexpr int child_ok = 0;
constexpr int child_permission_denied = 10;
constexpr int child_other_zerobuffer_error = 11;
constexpr int child_exception = 12;
constexpr int child_cannot_drop_privileges = 13;
constexpr int child_wrong_result = 14;
constexpr int child_cannot_setup = 15;

/// Forks a child that runs `body` and exits with its result (never
/// returning into the test).
pid_t spawn_child(const std::function<int()>& body)
{
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        int code = child_exception;
        try {
            code = body();
        } catch (const zb::error& e) {
            code = e.code() == boost::system::errc::permission_denied
                       ? child_permission_denied
                       : child_other_zerobuffer_error;
        } catch (...) {
            code = child_exception;
        }
        ::_exit(code);
    }
    return pid;
}

/// Waits (bounded: a child that hangs is killed) for a child; returns its
/// exit code, or -signal.
int wait_child(pid_t pid)
{
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            BOOST_ERROR("child did not end within 60 s");
            break;
        }
        std::this_thread::sleep_for(1ms);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

int run_child(const std::function<int()>& body)
{
    return wait_child(spawn_child(body));
}

/// In a child: becomes `nobody`, with `groups` as supplementary groups.
/// False when that did not work.
bool become_nobody(const std::vector<gid_t>& groups = {})
{
    return ::setgroups(groups.size(), groups.data()) == 0 && ::setgid(nobody_gid) == 0 &&
           ::setuid(nobody_uid) == 0 && ::getuid() == nobody_uid && ::geteuid() == nobody_uid;
}

/// A child as `nobody` that attaches a writer to `name` and writes `frames`
/// frames of the test pattern.
int nobody_writes(const std::string& name, int frames, const std::vector<gid_t>& groups = {})
{
    return run_child([&] {
        if (!become_nobody(groups)) {
            return child_cannot_drop_privileges;
        }
        zb::writer w(name);
        for (int seq = 1; seq <= frames; ++seq) {
            w.write_frame(patterns::frame_data(100 + static_cast<std::size_t>(seq), seq));
        }
        w.close();
        return child_ok;
    });
}

/// Writes one frame from this process and reads it back: the buffer works.
void check_buffer_works(zb::reader& r, std::uint64_t expected_sequence = 1)
{
    zb::writer w(r.name());
    w.write_frame(patterns::frame_data(64, 1));
    zb::frame f = r.read_frame(5s);
    BOOST_REQUIRE(f.valid());
    BOOST_TEST(f.sequence() == expected_sequence);
    BOOST_TEST(patterns::verify_frame(f.bytes(), f.sequence()));
}

struct file_identity {
    dev_t dev = 0;
    ino_t ino = 0;
    bool operator==(const file_identity&) const = default;
};

std::optional<file_identity> identity_of(const std::string& path)
{
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        return std::nullopt;
    }
    return file_identity{st.st_dev, st.st_ino};
}

std::vector<std::string> resource_paths(const std::string& name)
{
    return {"/dev/shm/" + name, "/dev/shm/sem.sem-w-" + name, "/dev/shm/sem.sem-r-" + name,
            "/tmp/zerobuffer/" + name + ".lock"};
}

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A private directory under /tmp with a file whose content and mode must
/// never change; removed on destruction.
struct precious_file {
    std::string dir;
    std::string path;
    std::string content = "precious content, not a lock file\n";
    mode_t mode = 0640;

    precious_file()
    {
        char tmpl[] = "/tmp/zerobuffer_security_XXXXXX";
        BOOST_REQUIRE(::mkdtemp(tmpl) != nullptr);
        dir = tmpl;
        path = dir + "/precious";
        std::ofstream(path, std::ios::binary) << content;
        BOOST_REQUIRE(::chmod(path.c_str(), mode) == 0);
    }
    ~precious_file()
    {
        ::unlink(path.c_str());
        ::rmdir(dir.c_str());
    }

    void check_untouched() const
    {
        struct stat st {};
        BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
        BOOST_TEST((st.st_mode & 07777) == mode);
        BOOST_TEST(static_cast<std::size_t>(st.st_size) == content.size());
        BOOST_TEST(read_file(path) == content);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(security)

// ---------------------------------------------------------------------------
// Another user

BOOST_AUTO_TEST_CASE(other_user_cannot_attach_to_default_buffer)
{
    if (!is_root()) {
        BOOST_TEST_MESSAGE("skipped: switching to nobody needs root");
        return;
    }
    const std::string name = unique_name("security_default_mode");
    zb::reader r(name); // mode 0600
    BOOST_TEST(nobody_writes(name, 1) == child_permission_denied);
    // The attempt changed nothing: we still attach, as the first writer.
    BOOST_TEST(r.health().oieb.writer_pid == 0u);
    check_buffer_works(r);
}

BOOST_AUTO_TEST_CASE(other_user_attaches_to_buffer_with_mode_0666)
{
    if (!is_root()) {
        BOOST_TEST_MESSAGE("skipped: switching to nobody needs root");
        return;
    }
    const std::string name = unique_name("security_mode_0666");
    zb::buffer_config cfg;
    cfg.mode = 0666;
    zb::reader r(name, cfg);
    constexpr int frames = 5;
    BOOST_TEST(nobody_writes(name, frames) == child_ok);
    for (int seq = 1; seq <= frames; ++seq) {
        zb::frame f = r.read_frame(5s);
        BOOST_REQUIRE(f.valid());
        BOOST_TEST(f.sequence() == static_cast<std::uint64_t>(seq));
        BOOST_TEST(f.size() == 100u + static_cast<std::size_t>(seq));
        BOOST_TEST(patterns::verify_frame(f.bytes(), f.sequence()));
    }
    boost::system::error_code ec;
    (void)r.read_frame(5s, ec);
    BOOST_TEST(ec == zb::errc::writer_disconnected);
}

BOOST_AUTO_TEST_CASE(group_mode_0660_admits_group_members_only)
{
    if (!is_root()) {
        BOOST_TEST_MESSAGE("skipped: switching to nobody needs root");
        return;
    }
    const std::string name = unique_name("security_mode_0660");
    zb::buffer_config cfg;
    cfg.mode = 0660; // group: our egid
    zb::reader r(name, cfg);
    BOOST_TEST(nobody_writes(name, 1) == child_permission_denied);
    BOOST_TEST(nobody_writes(name, 1, {::getegid()}) == child_ok);
    zb::frame f = r.read_frame(5s);
    BOOST_REQUIRE(f.valid());
    BOOST_TEST(patterns::verify_frame(f.bytes(), f.sequence()));
}

BOOST_AUTO_TEST_CASE(other_user_cannot_remove_or_take_over_a_live_buffer)
{
    if (!is_root()) {
        BOOST_TEST_MESSAGE("skipped: switching to nobody needs root");
        return;
    }
    for (const unsigned mode : {0600U, 0666U}) {
        BOOST_TEST_CONTEXT("mode " << std::oct << mode)
        {
            const std::string name = unique_name("security_take_over_" + std::to_string(mode));
            zb::buffer_config cfg;
            cfg.mode = mode;
            zb::reader r(name, cfg);
            std::vector<std::optional<file_identity>> before;
            for (const auto& path : resource_paths(name)) {
                before.push_back(identity_of(path));
                BOOST_TEST(before.back().has_value(), path);
            }
            const int code = run_child([&] {
                if (!become_nobody()) {
                    return child_cannot_drop_privileges;
                }
                // Clean-ups, named and global, must leave a live buffer alone.
                const auto named = zb::cleanup_stale_resources(name);
                zb::cleanup_stale_resources();
                if (std::find(named.removed_buffers.begin(), named.removed_buffers.end(), name) !=
                    named.removed_buffers.end()) {
                    return child_wrong_result;
                }
                // Nor may a second reader be created under its name.
                try {
                    zb::reader second(name);
                    return child_wrong_result;
                } catch (const zb::reader_already_exists&) {
                    return child_ok;
                } catch (const zb::error& e) {
                    return e.code() == boost::system::errc::permission_denied ? child_ok
                                                                              : child_wrong_result;
                }
            });
            BOOST_TEST(code == child_ok);
            const auto paths = resource_paths(name);
            for (std::size_t i = 0; i < paths.size(); ++i) {
                BOOST_TEST((identity_of(paths[i]) == before[i]), paths[i] << " was replaced");
            }
            check_buffer_works(r);
        }
    }
}

BOOST_AUTO_TEST_CASE(held_lock_file_of_another_user_is_left_alone)
{
    if (!is_root()) {
        BOOST_TEST_MESSAGE("skipped: switching to nobody needs root");
        return;
    }
    // nobody's reader (mode 0600: owned by nobody) holds its lock until told.
    const std::string name = unique_name("security_nobody_reader");
    int to_child[2];
    int from_child[2];
    BOOST_REQUIRE(::pipe(to_child) == 0);
    BOOST_REQUIRE(::pipe(from_child) == 0);
    const pid_t child = spawn_child([&] {
        ::close(to_child[1]);
        ::close(from_child[0]);
        if (!become_nobody()) {
            return child_cannot_drop_privileges;
        }
        zb::reader r(name);
        char c = 'r';
        if (::write(from_child[1], &c, 1) != 1 || ::read(to_child[0], &c, 1) != 1) {
            return child_cannot_setup;
        }
        // The buffer survived the other user's attempts: a frame arrives.
        zb::frame f = r.read_frame(10s);
        return f.valid() && patterns::verify_frame(f.bytes(), f.sequence()) ? child_ok
                                                                            : child_wrong_result;
    });
    ::close(to_child[0]);
    ::close(from_child[1]);
    char c = 0;
    const bool ready = ::read(from_child[0], &c, 1) == 1;
    BOOST_TEST(ready);
    if (ready) {
        const std::string lock = "/tmp/zerobuffer/" + name + ".lock";
        struct stat st {};
        BOOST_TEST(::stat(lock.c_str(), &st) == 0);
        BOOST_TEST(st.st_uid == nobody_uid);
        BOOST_TEST((st.st_mode & 0777) == 0600u);

        const auto report = zb::cleanup_stale_resources(name);
        BOOST_TEST((std::find(report.live_buffers.begin(), report.live_buffers.end(), name) !=
                    report.live_buffers.end()));
        BOOST_TEST(report.removed_buffers.empty());
        BOOST_CHECK_THROW(zb::reader{name}, zb::reader_already_exists);
        for (const auto& path : resource_paths(name)) {
            BOOST_TEST(identity_of(path).has_value(), path << " was removed");
        }
        // root may attach to nobody's 0600 buffer (it bypasses file modes).
        zb::writer w(name);
        w.write_frame(patterns::frame_data(32, 1));
    }
    c = 'g';
    BOOST_TEST(::write(to_child[1], &c, 1) == 1);
    ::close(to_child[1]);
    ::close(from_child[0]);
    BOOST_TEST(wait_child(child) == child_ok);
}

BOOST_AUTO_TEST_CASE(other_user_cannot_keep_a_dead_writer_alive)
{
    if (!is_root()) {
        BOOST_TEST_MESSAGE("skipped: switching to nobody needs root");
        return;
    }
    // A writer's liveness lock (/tmp/zerobuffer/writer/NAME.PID.lock) held by
    // a third process after the writer died would make it look alive forever.
    const std::string name = unique_name("security_writer_lock_holder");
    zb::buffer_config cfg;
    cfg.wait.liveness_interval = 20ms;
    zb::reader r(name, cfg);

    int writer_ready[2];
    int attacker_state[2];
    BOOST_REQUIRE(::pipe(writer_ready) == 0);
    BOOST_REQUIRE(::pipe(attacker_state) == 0);
    const pid_t writer_pid = spawn_child([&] {
        zb::writer w(name);
        w.write_frame(patterns::frame_data(16, 1));
        const char c = 'w';
        if (::write(writer_ready[1], &c, 1) != 1) {
            return child_cannot_setup;
        }
        ::pause();
        return child_ok;
    });
    char c = 0;
    BOOST_REQUIRE(::read(writer_ready[0], &c, 1) == 1);
    BOOST_REQUIRE(r.read_frame(5s).valid());

    const std::string lock =
        "/tmp/zerobuffer/writer/" + name + "." + std::to_string(writer_pid) + ".lock";
    const pid_t attacker = spawn_child([&] {
        if (!become_nobody()) {
            return child_cannot_drop_privileges;
        }
        const int fd = ::open(lock.c_str(), O_RDONLY | O_NOFOLLOW);
        char state = 'n';                           // cannot open it: nothing to hold
        if (fd >= 0 && ::flock(fd, LOCK_EX) == 0) { // granted once the writer died
            state = 'h';
        }
        if (::write(attacker_state[1], &state, 1) != 1) {
            return child_cannot_setup;
        }
        ::pause();
        return child_ok;
    });
    ::kill(writer_pid, SIGKILL);
    BOOST_TEST(wait_child(writer_pid) == -SIGKILL);
    BOOST_REQUIRE(::read(attacker_state[0], &c, 1) == 1);
    BOOST_TEST_MESSAGE("nobody " << (c == 'h' ? "holds" : "could not open")
                                 << " the dead writer's liveness lock");

    boost::system::error_code ec;
    (void)r.read_frame(5s, ec);
    BOOST_TEST(ec == zb::errc::writer_dead,
               "dead writer not reported (" << ec.message() << "): its lock is held by nobody");
    ::kill(attacker, SIGKILL);
    wait_child(attacker);
    for (int fd : {writer_ready[0], writer_ready[1], attacker_state[0], attacker_state[1]}) {
        ::close(fd);
    }
}

// ---------------------------------------------------------------------------
// Lock files: never followed through a symlink, never truncated

BOOST_AUTO_TEST_CASE(symlinked_lock_file_is_not_followed)
{
    const std::string name = unique_name("security_lock_symlink");
    precious_file target;
    const std::string lock = "/tmp/zerobuffer/" + name + ".lock";
    {
        // Make sure the lock directory exists (a reader creates it).
        zb::reader make_dir(unique_name("security_lock_dir"));
    }
    BOOST_REQUIRE(::symlink(target.path.c_str(), lock.c_str()) == 0);

    BOOST_CHECK_THROW(zb::reader{name}, zb::error);
    target.check_untouched();
    for (const auto& path :
         {"/dev/shm/" + name, "/dev/shm/sem.sem-w-" + name, "/dev/shm/sem.sem-r-" + name}) {
        BOOST_TEST(!identity_of(path).has_value(), path << " left behind");
    }
    BOOST_CHECK_THROW(zb::writer{name}, zb::no_reader);
    zb::cleanup_stale_resources(name);
    zb::cleanup_stale_resources();
    target.check_untouched();
    ::unlink(lock.c_str());
}

BOOST_AUTO_TEST_CASE(symlinked_writer_lock_file_is_not_followed)
{
    const std::string name = unique_name("security_writer_lock_symlink");
    precious_file target;
    zb::reader r(name);
    // The liveness lock our writer would take: /tmp/zerobuffer/writer/NAME.PID.lock.
    const std::string lock =
        "/tmp/zerobuffer/writer/" + name + "." + std::to_string(::getpid()) + ".lock";
    BOOST_REQUIRE(::symlink(target.path.c_str(), lock.c_str()) == 0);
    try {
        zb::writer w(name);
        w.write_frame(patterns::frame_data(10, 1));
    } catch (const zb::error& e) {
        BOOST_TEST_MESSAGE("writer refused a symlinked liveness lock: " << e.what());
    }
    target.check_untouched();
    r.close();
    target.check_untouched();
    ::unlink(lock.c_str());
}

BOOST_AUTO_TEST_CASE(stale_lock_file_hard_link_is_not_truncated)
{
    const std::string name = unique_name("security_lock_hardlink");
    precious_file target;
    const std::string lock = "/tmp/zerobuffer/" + name + ".lock";
    {
        zb::reader make_dir(unique_name("security_lock_dir"));
    }
    if (::link(target.path.c_str(), lock.c_str()) != 0) {
        BOOST_TEST_MESSAGE(
            "skipped: cannot hard-link into /tmp/zerobuffer: " << std::strerror(errno));
        return;
    }
    {
        // The link looks like a dead reader's lock file: it is removed or
        // reused, and in neither case written to.
        zb::reader r(name);
        target.check_untouched();
        check_buffer_works(r);
    }
    target.check_untouched();
    ::unlink(lock.c_str());
}

// ---------------------------------------------------------------------------
// The lock directory, in a private mount namespace with its own /tmp

namespace {

/// Runs `body` in a child with a private tmpfs on /tmp. Returns the child's
/// exit code, or nullopt when the namespace or the mount is not allowed.
std::optional<int> run_with_private_tmp(const std::function<int()>& body)
{
    constexpr int cannot_isolate = 77;
    const int code = run_child([&] {
        if (::unshare(CLONE_NEWNS) != 0 ||
            ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
            ::mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777") != 0) {
            return cannot_isolate;
        }
        return body();
    });
    if (code == cannot_isolate) {
        return std::nullopt;
    }
    return code;
}

} // namespace

BOOST_AUTO_TEST_CASE(symlinked_lock_directory_is_refused)
{
    const std::string name = unique_name("security_dir_symlink");
    const auto code = run_with_private_tmp([&] {
        if (::mkdir("/tmp/elsewhere", 0777) != 0 ||
            ::symlink("/tmp/elsewhere", "/tmp/zerobuffer") != 0) {
            return child_cannot_setup;
        }
        try {
            zb::reader r(name);
            return child_wrong_result;
        } catch (const zb::error&) {
        }
        // Nothing was created through the link, nor in /dev/shm.
        struct stat st {};
        if (::lstat(("/tmp/elsewhere/" + name + ".lock").c_str(), &st) == 0 ||
            ::lstat(("/dev/shm/" + name).c_str(), &st) == 0) {
            return child_wrong_result;
        }
        return child_ok;
    });
    if (!code) {
        BOOST_TEST_MESSAGE("skipped: no private mount namespace here");
        return;
    }
    BOOST_TEST(*code == child_ok);
}

BOOST_AUTO_TEST_CASE(cleanup_does_not_follow_a_symlinked_lock_directory)
{
    // Someone replaced /tmp/zerobuffer with a link to a directory they fill:
    // its lock files must not make us remove segments in /dev/shm.
    const std::string victim = unique_name("security_dir_victim");
    const std::string segment = "/dev/shm/" + victim;
    const auto code = run_with_private_tmp([&] {
        if (::mkdir("/tmp/elsewhere", 0777) != 0 ||
            ::symlink("/tmp/elsewhere", "/tmp/zerobuffer") != 0) {
            return child_cannot_setup;
        }
        std::ofstream("/tmp/elsewhere/" + victim + ".lock");
        std::ofstream(segment) << "someone's segment";
        zb::cleanup_stale_resources();
        try {
            zb::reader other(victim + "_other");
        } catch (const zb::error&) {
        }
        struct stat st {};
        return ::lstat(segment.c_str(), &st) == 0 ? child_ok : child_wrong_result;
    });
    ::unlink(segment.c_str());
    if (!code) {
        BOOST_TEST_MESSAGE("skipped: no private mount namespace here");
        return;
    }
    BOOST_TEST(*code == child_ok);
}

BOOST_AUTO_TEST_SUITE_END()

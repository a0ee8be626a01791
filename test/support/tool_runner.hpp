// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_TOOL_RUNNER_HPP
#define ZEROBUFFER_TEST_SUPPORT_TOOL_RUNNER_HPP

// Running the `zerobuffer` command-line tool as a user would: as a child
// process whose stdout and stderr we capture, bounded by a timeout (a tool
// that hangs is killed and the test fails, it never hangs the suite).
//
// Where the tool is: $ZEROBUFFER_TOOL when set; else the ZEROBUFFER_TOOL the
// build compiled in, if it did; else bin/zerobuffer in the nearest ancestor
// directory of this test program (CMake puts tests in build/test and the tool
// in build/bin; b2 stages the tool in bin/ at the root of the tree).

#include "support/child_process.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace zerobuffer::test_support {

/// The path of the zerobuffer tool, or empty when it cannot be found.
inline std::string tool_program()
{
    if (const char* env = std::getenv("ZEROBUFFER_TOOL"); env != nullptr && *env != 0) {
        return env;
    }
#ifdef ZEROBUFFER_TOOL
    if (std::string built = ZEROBUFFER_TOOL; !built.empty()) {
        return built;
    }
#endif
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
    for (int up = 0; up < 10 && !ec && !dir.empty(); ++up) {
        const fs::path candidate = dir / "bin" / "zerobuffer";
        std::error_code probe;
        if (fs::is_regular_file(candidate, probe) && ::access(candidate.c_str(), X_OK) == 0) {
            return candidate.string();
        }
        if (dir == dir.parent_path()) {
            break;
        }
        dir = dir.parent_path();
    }
    return {};
}

/// The tool's path; throws (failing the test) when it cannot be found.
inline std::string require_tool()
{
    std::string tool = tool_program();
    if (tool.empty() || ::access(tool.c_str(), X_OK) != 0) {
        throw std::runtime_error("the zerobuffer tool was not found (build target zerobuffer_tool, "
                                 "or set ZEROBUFFER_TOOL to its path)");
    }
    return tool;
}

/// What a finished run of the tool left.
struct tool_result {
    exit_status status;
    std::string out; ///< everything it wrote on stdout
    std::string err; ///< everything it wrote on stderr
    pid_t pid = -1;

    int code() const noexcept { return status.exited ? status.code : -1; }
    std::string describe() const
    {
        return status.describe() + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
};

/// Runs `zerobuffer args...` to completion, at most `timeout` (then kills it
/// and throws). stdin is /dev/null.
inline tool_result run_tool(const std::vector<std::string>& args,
                            std::chrono::milliseconds timeout = std::chrono::seconds(120))
{
    const std::string program = require_tool();
    std::vector<std::string> storage{program};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : storage) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe2 failed");
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        const int null = ::open("/dev/null", O_RDONLY);
        if (null < 0 || ::dup2(null, STDIN_FILENO) < 0 || ::dup2(out[1], STDOUT_FILENO) < 0 ||
            ::dup2(err[1], STDERR_FILENO) < 0) {
            ::_exit(126);
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);

    tool_result result;
    result.pid = pid;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_fds = 2;
    bool timed_out = false;
    while (open_fds > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        const int r = ::poll(fds, 2, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
                continue;
            }
            char buf[8192];
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                sinks[i]->append(buf, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    for (auto& p : fds) {
        if (p.fd >= 0) {
            ::close(p.fd);
        }
    }
    if (timed_out) {
        ::kill(pid, SIGKILL);
    }
    int raw = 0;
    while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) {
        throw std::runtime_error("zerobuffer tool did not finish within " +
                                 std::to_string(timeout.count()) + " ms; stdout so far:\n" +
                                 result.out + "\nstderr so far:\n" + result.err);
    }
    if (WIFEXITED(raw)) {
        result.status.exited = true;
        result.status.code = WEXITSTATUS(raw);
    } else if (WIFSIGNALED(raw)) {
        result.status.signal = WTERMSIG(raw);
    }
    return result;
}

/// Starts `zerobuffer args...` in the background: stdout piped to us (read
/// it with the child_process calls), stderr shared with the test.
inline std::unique_ptr<child_process> start_tool(const std::vector<std::string>& args)
{
    return std::make_unique<child_process>(require_tool(), args);
}

} // namespace zerobuffer::test_support

#endif // ZEROBUFFER_TEST_SUPPORT_TOOL_RUNNER_HPP

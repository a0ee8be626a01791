// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_CHILD_HPP
#define ZEROBUFFER_TOOL_CHILD_HPP

// Child processes of `demo` (this program run again) and `bench` (a fork
// running a function). A child still running when its object dies is killed
// and reaped, so no run leaves a process behind.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace zerobuffer::tool {

class child_process {
public:
    /// Runs this program (/proc/self/exe) with `args`; its stdout goes to a
    /// pipe we read when `capture_stdout`, stderr is shared with us.
    static child_process spawn_self(const std::vector<std::string>& args, bool capture_stdout);

    /// Forks; the child runs `body` and exits with its result (1 when it
    /// throws, after printing the exception). Call it while this process has
    /// a single thread.
    static child_process fork_function(const std::function<int()>& body);

    child_process(child_process&& other) noexcept;
    child_process& operator=(child_process&& other) noexcept;
    ~child_process();

    pid_t pid() const noexcept { return pid_; }

    /// Waits at most `timeout` for the child to end. Its exit code, 128 + the
    /// signal that killed it, or empty on timeout.
    std::optional<int> wait_for(std::chrono::milliseconds timeout);
    /// The exit status without waiting, if it ended.
    std::optional<int> poll();

    void signal(int sig) noexcept;
    /// SIGKILL and reap.
    void kill() noexcept;

    /// Reads what is left of the child's stdout until EOF, at most `timeout`.
    std::string read_stdout(std::chrono::milliseconds timeout);

private:
    child_process() = default;
    void reset() noexcept;

    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::optional<int> status_;
    std::string output_;
};

/// The path of this program.
std::string self_executable();

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_CHILD_HPP

// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_CHILD_PROCESS_HPP
#define ZEROBUFFER_TEST_SUPPORT_CHILD_PROCESS_HPP

// The other side of multi-process tests: a child process started with fork/exec
// whose stdin and stdout are pipes, so that a test talks to it in lines and
// synchronizes on what it prints instead of sleeping. Every wait is bounded, so
// a bug makes a test fail, never hang. A child still running when its object
// dies is killed (SIGKILL) and reaped.
//
// Reaping matters beyond tidiness: a dead child that is not reaped is a zombie,
// and kill(pid, 0) still succeeds for a zombie, so a peer's liveness check
// would see it alive. Kill children with `kill()`, which reaps.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace zerobuffer::test_support {

using namespace std::chrono_literals;

/// How a child ended.
struct exit_status {
    bool exited = false; ///< ended through exit(); `code` is valid
    int code = -1;
    int signal = 0; ///< the signal that killed it, when not `exited`

    bool success() const noexcept { return exited && code == 0; }
    bool killed_by(int sig) const noexcept { return !exited && signal == sig; }

    std::string describe() const
    {
        if (exited) {
            return "exit code " + std::to_string(code);
        }
        const char* name = ::strsignal(signal);
        return "signal " + std::to_string(signal) + " (" + (name ? name : "?") + ")";
    }
};

/// A child process running `program args...` with its stdin and stdout piped
/// to us (stderr is inherited). Not thread-safe: use it from one thread.
class child_process {
public:
    child_process(const std::string& program, const std::vector<std::string>& args)
        : command_(program)
    {
        // Writing to the stdin of a child that died must give EPIPE, not kill us.
        ::signal(SIGPIPE, SIG_IGN);

        std::vector<std::string> argv_storage;
        argv_storage.push_back(program);
        argv_storage.insert(argv_storage.end(), args.begin(), args.end());
        for (const auto& a : args) {
            command_ += " " + a;
        }
        std::vector<char*> argv;
        for (auto& a : argv_storage) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);

        // O_CLOEXEC: later children must not inherit these ends, or a child
        // would keep another child's stdin open and it would never see EOF.
        int in[2];
        int out[2];
        if (::pipe2(in, O_CLOEXEC) != 0) {
            throw std::runtime_error("pipe2: " + std::string(std::strerror(errno)));
        }
        if (::pipe2(out, O_CLOEXEC) != 0) {
            const int err = errno;
            ::close(in[0]);
            ::close(in[1]);
            throw std::runtime_error("pipe2: " + std::string(std::strerror(err)));
        }
        pid_ = ::fork();
        if (pid_ < 0) {
            const int err = errno;
            for (int fd : {in[0], in[1], out[0], out[1]}) {
                ::close(fd);
            }
            throw std::runtime_error("fork: " + std::string(std::strerror(err)));
        }
        if (pid_ == 0) {
            // Only async-signal-safe calls from here to exec.
            ::signal(SIGPIPE, SIG_DFL);
            if (::dup2(in[0], STDIN_FILENO) < 0 || ::dup2(out[1], STDOUT_FILENO) < 0) {
                ::_exit(126);
            }
            ::execv(argv[0], argv.data());
            static constexpr char msg[] = "child_process: execv failed\n";
            [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        stdin_fd_ = in[1];
        stdout_fd_ = out[0];
    }

    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    ~child_process()
    {
        close_stdin();
        if (!status_) {
            ::kill(pid_, SIGKILL);
            reap(true);
        }
        if (stdout_fd_ >= 0) {
            ::close(stdout_fd_);
        }
    }

    pid_t pid() const noexcept { return pid_; }

    /// The command line, for messages.
    const std::string& command() const noexcept { return command_; }

    /// Every line read from the child's stdout so far.
    const std::vector<std::string>& transcript() const noexcept { return transcript_; }

    /// The command and everything it printed, for failure messages.
    std::string describe() const
    {
        std::string s = "[" + command_ + "]";
        for (const auto& line : transcript_) {
            s += "\n    > " + line;
        }
        if (status_) {
            s += "\n    (" + status_->describe() + ")";
        }
        return s;
    }

    /// The next line the child prints, waiting at most `timeout`. Empty when
    /// the timeout passes or the child closed its stdout (see `at_eof`).
    std::optional<std::string> read_line(std::chrono::milliseconds timeout)
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (const auto nl = pending_.find('\n'); nl != std::string::npos) {
                std::string line = pending_.substr(0, nl);
                pending_.erase(0, nl + 1);
                transcript_.push_back(line);
                return line;
            }
            if (eof_) {
                if (pending_.empty()) {
                    return std::nullopt;
                }
                std::string line = std::move(pending_);
                pending_.clear();
                transcript_.push_back(line);
                return line;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() < 0) {
                return std::nullopt;
            }
            pollfd p{stdout_fd_, POLLIN, 0};
            const int r = ::poll(&p, 1, static_cast<int>(left.count()) + 1);
            if (r < 0 && errno == EINTR) {
                continue;
            }
            if (r < 0) {
                throw std::runtime_error("poll: " + std::string(std::strerror(errno)));
            }
            if (r == 0) {
                continue; // the deadline check above ends the wait
            }
            char buf[4096];
            const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                eof_ = true;
            } else {
                pending_.append(buf, static_cast<std::size_t>(n));
            }
        }
    }

    /// True once the child closed its stdout and every line was read.
    bool at_eof() const noexcept { return eof_ && pending_.empty(); }

    /// Sends one line to the child's stdin. False when the child is gone.
    bool send_line(std::string_view line)
    {
        if (stdin_fd_ < 0) {
            return false;
        }
        std::string data(line);
        data += '\n';
        std::size_t done = 0;
        while (done < data.size()) {
            const ssize_t n = ::write(stdin_fd_, data.data() + done, data.size() - done);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return false;
            }
            done += static_cast<std::size_t>(n);
        }
        return true;
    }

    /// Closes the child's stdin: it reads EOF.
    void close_stdin() noexcept
    {
        if (stdin_fd_ >= 0) {
            ::close(stdin_fd_);
            stdin_fd_ = -1;
        }
    }

    /// Waits at most `timeout` for the child to end and reaps it. Empty on timeout.
    std::optional<exit_status> wait(std::chrono::milliseconds timeout)
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (reap(false)) {
                return status_;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                return std::nullopt;
            }
            std::this_thread::sleep_for(1ms);
        }
    }

    /// Sends `sig` and, for SIGKILL, reaps the child before returning.
    /// Returns how the child ended (for other signals: once it ended, bounded
    /// by `timeout`; throws when it did not end in time).
    exit_status kill(int sig = SIGKILL, std::chrono::milliseconds timeout = 30s)
    {
        if (status_) {
            return *status_;
        }
        ::kill(pid_, sig);
        if (sig == SIGKILL) {
            reap(true);
            return *status_;
        }
        if (auto s = wait(timeout)) {
            return *s;
        }
        throw std::runtime_error("child did not end after signal " + std::to_string(sig) + ": " +
                                 describe());
    }

    /// Sends `sig` and returns at once; the child is not reaped.
    void send_signal(int sig) noexcept
    {
        if (!status_) {
            ::kill(pid_, sig);
        }
    }

    /// Waits at most `timeout` until the child has ended, leaving it unreaped:
    /// a zombie whose pid still exists, as when a parent is slow to wait.
    /// True once it ended.
    bool wait_for_zombie(std::chrono::milliseconds timeout)
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (status_) {
                return true;
            }
            siginfo_t info{};
            if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                info.si_pid == pid_) {
                return true;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                return false;
            }
            std::this_thread::sleep_for(1ms);
        }
    }

    /// True while the child has not ended (reaps it if it just did).
    bool running() { return !reap(false); }

    /// How the child ended, if it was reaped.
    const std::optional<exit_status>& status() const noexcept { return status_; }

private:
    /// Collects the child's status; blocks when `block`. True once reaped.
    bool reap(bool block)
    {
        if (status_) {
            return true;
        }
        int raw = 0;
        pid_t r;
        do {
            r = ::waitpid(pid_, &raw, block ? 0 : WNOHANG);
        } while (r < 0 && errno == EINTR);
        if (r == 0) {
            return false;
        }
        exit_status s;
        if (r < 0) {
            // Already reaped elsewhere: nothing more to learn.
            s.exited = false;
        } else if (WIFEXITED(raw)) {
            s.exited = true;
            s.code = WEXITSTATUS(raw);
        } else if (WIFSIGNALED(raw)) {
            s.signal = WTERMSIG(raw);
        }
        status_ = s;
        return true;
    }

    std::string command_;
    pid_t pid_ = -1;
    int stdin_fd_ = -1;
    int stdout_fd_ = -1;
    std::string pending_;
    bool eof_ = false;
    std::vector<std::string> transcript_;
    std::optional<exit_status> status_;
};

// ---------------------------------------------------------------------------
// Talking to zerobuffer_test_peer.

/// The path of the peer program: $ZEROBUFFER_TEST_PEER when set and not
/// empty, else the ZEROBUFFER_TEST_PEER the build compiled in.
inline std::string peer_program()
{
    if (const char* env = std::getenv("ZEROBUFFER_TEST_PEER"); env != nullptr && *env != 0) {
        return env;
    }
#ifdef ZEROBUFFER_TEST_PEER
    return ZEROBUFFER_TEST_PEER;
#else
    return {};
#endif
}

/// Starts the peer with `args`. Throws when no peer program is known.
inline std::unique_ptr<child_process> start_peer(const std::vector<std::string>& args)
{
    const std::string program = peer_program();
    if (program.empty()) {
        throw std::runtime_error("no test peer: set ZEROBUFFER_TEST_PEER");
    }
    if (::access(program.c_str(), X_OK) != 0) {
        throw std::runtime_error("test peer not executable: " + program);
    }
    return std::make_unique<child_process>(program, args);
}

/// How long a test waits for a peer's line before it fails. Generous: the
/// machine may be loaded; a correct run never comes near it.
inline constexpr std::chrono::milliseconds line_timeout = 30s;

/// Reads lines until one starts with `prefix` and returns it. Throws (failing
/// the test) on timeout, on EOF, and when an `error` line arrives first
/// (unless `prefix` itself starts with "error").
inline std::string expect_line(child_process& child, std::string_view prefix,
                               std::chrono::milliseconds timeout = line_timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const bool want_error = prefix.starts_with("error");
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        const auto line = child.read_line(std::max(left, std::chrono::milliseconds(0)));
        if (!line) {
            if (child.at_eof()) {
                child.wait(5s);
            }
            throw std::runtime_error("expected a line starting with '" + std::string(prefix) +
                                     "', got " + (child.at_eof() ? "end of output" : "timeout") +
                                     ": " + child.describe());
        }
        if (line->starts_with(prefix)) {
            return *line;
        }
        if (!want_error && line->starts_with("error")) {
            throw std::runtime_error("expected a line starting with '" + std::string(prefix) +
                                     "', got an error: " + child.describe());
        }
    }
}

/// The value of `key=value` in a peer line, if present.
inline std::optional<std::string> line_field(std::string_view line, std::string_view key)
{
    std::size_t pos = 0;
    while (pos < line.size()) {
        const std::size_t end = std::min(line.find(' ', pos), line.size());
        const std::string_view word = line.substr(pos, end - pos);
        if (word.size() > key.size() && word.starts_with(key) && word[key.size()] == '=') {
            return std::string(word.substr(key.size() + 1));
        }
        pos = end + 1;
    }
    return std::nullopt;
}

/// The numeric value of `key=value` in a peer line; throws when absent.
inline std::uint64_t line_number(std::string_view line, std::string_view key)
{
    const auto v = line_field(line, key);
    if (!v) {
        throw std::runtime_error("no '" + std::string(key) + "=' in line: " + std::string(line));
    }
    return std::stoull(*v);
}

/// Waits for the child to end (bounded) and returns how; throws on timeout.
inline exit_status expect_exit(child_process& child,
                               std::chrono::milliseconds timeout = line_timeout)
{
    // Drain its output so that the transcript is complete and it never blocks on a full pipe.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!child.at_eof() && std::chrono::steady_clock::now() < deadline) {
        child.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now()));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (auto s = child.wait(std::max(left, std::chrono::milliseconds(1000)))) {
        return *s;
    }
    throw std::runtime_error("child did not exit in time: " + child.describe());
}

} // namespace zerobuffer::test_support

#endif // ZEROBUFFER_TEST_SUPPORT_CHILD_PROCESS_HPP

// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "child.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace zerobuffer::tool {

namespace {

std::runtime_error system_failure(const char* what)
{
    return std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

int decode_status(int raw) noexcept
{
    if (WIFEXITED(raw)) {
        return WEXITSTATUS(raw);
    }
    if (WIFSIGNALED(raw)) {
        return 128 + WTERMSIG(raw);
    }
    return 255;
}

} // namespace

std::string self_executable()
{
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) {
        throw system_failure("readlink /proc/self/exe");
    }
    return std::string(buf, static_cast<std::size_t>(n));
}

child_process child_process::spawn_self(const std::vector<std::string>& args, bool capture_stdout)
{
    const std::string program = self_executable();
    std::vector<std::string> storage{program};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : storage) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    int out[2] = {-1, -1};
    if (capture_stdout && ::pipe2(out, O_CLOEXEC) != 0) {
        throw system_failure("pipe2");
    }
    child_process c;
    c.pid_ = ::fork();
    if (c.pid_ < 0) {
        const int err = errno;
        if (capture_stdout) {
            ::close(out[0]);
            ::close(out[1]);
        }
        errno = err;
        throw system_failure("fork");
    }
    if (c.pid_ == 0) {
        if (capture_stdout && ::dup2(out[1], STDOUT_FILENO) < 0) {
            ::_exit(126);
        }
        ::execv(argv[0], argv.data());
        static constexpr char msg[] = "zerobuffer: cannot run myself again (execv failed)\n";
        [[maybe_unused]] const auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
        ::_exit(127);
    }
    if (capture_stdout) {
        ::close(out[1]);
        c.stdout_fd_ = out[0];
    }
    return c;
}

child_process child_process::fork_function(const std::function<int()>& body)
{
    std::fflush(nullptr); // or the child would print our buffered output again
    child_process c;
    c.pid_ = ::fork();
    if (c.pid_ < 0) {
        throw system_failure("fork");
    }
    if (c.pid_ == 0) {
        int code = 1;
        try {
            code = body();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "zerobuffer: child process: %s\n", e.what());
        } catch (...) {
            std::fprintf(stderr, "zerobuffer: child process: unknown exception\n");
        }
        std::fflush(nullptr);
        ::_exit(code); // never run the parent's destructors in the child
    }
    return c;
}

child_process::child_process(child_process&& other) noexcept
    : pid_(other.pid_), stdout_fd_(other.stdout_fd_), status_(other.status_),
      output_(std::move(other.output_))
{
    other.pid_ = -1;
    other.stdout_fd_ = -1;
}

child_process& child_process::operator=(child_process&& other) noexcept
{
    if (this != &other) {
        reset();
        pid_ = other.pid_;
        stdout_fd_ = other.stdout_fd_;
        status_ = other.status_;
        output_ = std::move(other.output_);
        other.pid_ = -1;
        other.stdout_fd_ = -1;
    }
    return *this;
}

child_process::~child_process()
{
    reset();
}

void child_process::reset() noexcept
{
    kill();
    if (stdout_fd_ >= 0) {
        ::close(stdout_fd_);
        stdout_fd_ = -1;
    }
}

std::optional<int> child_process::poll()
{
    if (status_ || pid_ <= 0) {
        return status_;
    }
    int raw = 0;
    pid_t r;
    do {
        r = ::waitpid(pid_, &raw, WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == pid_) {
        status_ = decode_status(raw);
    } else if (r < 0) {
        status_ = 255; // not our child any more
    }
    return status_;
}

std::optional<int> child_process::wait_for(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto s = poll()) {
            return s;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

void child_process::signal(int sig) noexcept
{
    if (pid_ > 0 && !status_) {
        ::kill(pid_, sig);
    }
}

void child_process::kill() noexcept
{
    if (pid_ <= 0 || status_) {
        return;
    }
    ::kill(pid_, SIGKILL);
    int raw = 0;
    pid_t r;
    do {
        r = ::waitpid(pid_, &raw, 0);
    } while (r < 0 && errno == EINTR);
    status_ = r == pid_ ? decode_status(raw) : 255;
}

std::string child_process::read_stdout(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (stdout_fd_ >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            break;
        }
        pollfd p{stdout_fd_, POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno != EINTR) {
            break;
        }
        if (r <= 0) {
            continue;
        }
        char buf[4096];
        const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            ::close(stdout_fd_);
            stdout_fd_ = -1;
            break;
        }
        output_.append(buf, static_cast<std::size_t>(n));
    }
    return output_;
}

} // namespace zerobuffer::tool

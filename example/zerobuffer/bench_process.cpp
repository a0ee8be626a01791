// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "bench_process.hpp"

#include "attach.hpp"
#include "progress.hpp"

#include <stdexcept>

namespace zerobuffer::tool::bench {

using namespace std::chrono_literals;

writer_options connect_options(const wait_strategy& wait)
{
    writer_options wo;
    wo.connect_timeout = 30s;
    wo.write_timeout = 10s;
    wo.wait = wait;
    return wo;
}

writer attach_to_child(const std::string& name, const wait_strategy& wait, child_process& child)
{
    const auto deadline = clock_type::now() + 30s;
    writer_options wo = connect_options(wait);
    wo.connect_timeout = 100ms;
    for (;;) {
        try {
            return attach_writer(name, wo);
        } catch (const no_reader&) {
            if (const auto code = child.poll()) {
                throw std::runtime_error("the child process ended (exit status " +
                                         std::to_string(*code) + ") before creating its buffer");
            }
            if (clock_type::now() >= deadline) {
                throw;
            }
        }
    }
}

void finish_child(child_process& child, const char* role)
{
    const auto code = child.wait_for(30s);
    if (!code) {
        child.kill();
        throw std::runtime_error(std::string(role) + " process did not finish within 30 s");
    }
    if (*code != 0) {
        throw std::runtime_error(std::string(role) + " process failed (exit status " +
                                 std::to_string(*code) + ")");
    }
}

} // namespace zerobuffer::tool::bench

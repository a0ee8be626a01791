// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "attach.hpp"

#include "stop_signal.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace zerobuffer::tool {

namespace {

bool being_created(const boost::system::error_code& ec)
{
    return ec == boost::system::errc::invalid_argument || ec == errc::corrupted_buffer ||
           ec == errc::incompatible_version;
}

} // namespace

writer attach_writer(const std::string& name, const writer_options& options)
{
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + options.connect_timeout;
    for (;;) {
        try {
            writer_options o = options;
            o.connect_timeout = std::max<std::chrono::nanoseconds>(deadline - clock::now(),
                                                                   std::chrono::nanoseconds(0));
            return writer(name, o);
        } catch (const no_reader&) {
            throw;
        } catch (const zerobuffer::error& e) {
            if (!being_created(e.code()) || clock::now() >= deadline || stop_requested()) {
                throw;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

} // namespace zerobuffer::tool

// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "request_run.hpp"

#include "stop_signal.hpp"

#include <zerobuffer/duplex/client.hpp>
#include <zerobuffer/error.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>

#include <algorithm>
#include <deque>
#include <limits>

namespace zerobuffer::tool {

namespace {

using clock_type = std::chrono::steady_clock;
using patterns = testing::test_data_patterns;

/// The longest a single wait lasts, so that a signal or the timeout is seen.
constexpr std::chrono::nanoseconds slice = std::chrono::milliseconds(100);
constexpr std::size_t max_problems = 5;

/// A request whose response has not come yet.
struct outstanding {
    std::uint64_t sequence;    ///< what the client numbered it
    std::uint64_t pattern;     ///< the sequence its test pattern was filled for
    clock_type::time_point at; ///< its commit
};

class run {
public:
    run(duplex::client& client, const request_plan& plan) : client_(client), plan_(plan)
    {
        out_.latencies.reserve(
            static_cast<std::size_t>(std::min<std::uint64_t>(plan.count, 1u << 24)));
    }

    request_outcome go()
    {
        const auto start = clock_type::now();
        progress_ = start;
        auto last_response = start;
        while (out_.responses < plan_.count) {
            if (stop_requested()) {
                return finish(request_end::interrupted, "", start, last_response);
            }
            if (!send_some()) {
                break;
            }
            if (in_flight_.empty()) {
                if (timed_out()) {
                    return finish(request_end::timeout,
                                  "no room for a request in the request ring within --timeout",
                                  start, last_response);
                }
                continue;
            }
            boost::system::error_code ec;
            frame f = client_.receive_response(std::min(slice, plan_.timeout), ec);
            const auto now = clock_type::now();
            if (ec && ec != errc::handler_failed) {
                return finish_with(ec, start, last_response);
            }
            if (!f) {
                if (timed_out()) {
                    return finish(request_end::timeout, "no response within --timeout", start,
                                  last_response);
                }
                continue;
            }
            progress_ = last_response = now;
            take(f, ec == errc::handler_failed, now);
        }
        if (!error_.empty()) {
            return finish(end_, error_, start, last_response);
        }
        return finish(request_end::count, "", start, last_response);
    }

private:
    /// Sends until `pipeline` requests are outstanding or all are sent. False
    /// on an error that ends the run (kept in `end_` and `error_`).
    bool send_some()
    {
        if (in_flight_.size() > resume_at_) {
            return true; // the ring was full: take responses until half are answered
        }
        resume_at_ = no_backoff;
        while (out_.sent < plan_.count && in_flight_.size() < plan_.pipeline) {
            boost::system::error_code ec;
            const std::uint64_t pattern = out_.sent + 1;
            const std::span<std::byte> area = client_.get_request_buffer(plan_.size, ec);
            if (ec == errc::buffer_full) {
                // The request ring is full (the server may be waiting for room
                // in the response ring, which only we free): take responses,
                // and try again once half of those outstanding are answered,
                // not after each one, which would cost a failed try each.
                resume_at_ = in_flight_.size() / 2;
                return true;
            }
            if (!ec) {
                // The test pattern always, so that an echo of any run can be checked.
                patterns::fill_frame(area, pattern);
                const auto at = clock_type::now();
                const std::uint64_t sequence = client_.commit_request(ec);
                if (!ec) {
                    in_flight_.push_back({sequence, pattern, at});
                    ++out_.sent;
                    progress_ = at;
                    continue;
                }
            }
            classify(ec);
            return false;
        }
        return true;
    }

    void take(frame& f, bool error_response, clock_type::time_point now)
    {
        const outstanding req = in_flight_.front();
        in_flight_.pop_front();
        ++out_.responses;
        out_.latencies.push_back(now - req.at);
        if (error_response) {
            ++out_.error_responses;
            note("request " + std::to_string(req.sequence) +
                 ": error response: " + std::string(duplex::error_response_text(f)));
        } else if (plan_.verify) {
            check(f, req);
        }
        f.release();
    }

    /// Each response must echo its request: its sequence, its size, its bytes.
    void check(const frame& f, const outstanding& req)
    {
        std::string problem;
        if (req.sequence != req.pattern) {
            problem = "numbered " + std::to_string(req.sequence) + ", expected " +
                      std::to_string(req.pattern);
        } else if (f.sequence() != req.sequence) {
            problem = "the response carries sequence " + std::to_string(f.sequence());
        } else if (f.size() != plan_.size) {
            problem = "the response has " + std::to_string(f.size()) + " bytes, not " +
                      std::to_string(plan_.size);
        } else if (const auto at = patterns::first_frame_mismatch(f.bytes(), req.pattern);
                   at != f.size()) {
            problem = "the response differs from the request at byte " + std::to_string(at);
        }
        if (!problem.empty()) {
            ++out_.mismatches;
            note("request " + std::to_string(req.sequence) + ": " + problem);
        }
    }

    void note(std::string problem)
    {
        if (out_.problems.size() < max_problems) {
            out_.problems.push_back(std::move(problem));
        }
    }

    bool timed_out() const { return clock_type::now() - progress_ >= plan_.timeout; }

    void classify(const boost::system::error_code& ec)
    {
        end_ = ec == errc::server_dead      ? request_end::server_dead
               : ec == errc::server_stopped ? request_end::server_stopped
                                            : request_end::failed;
        error_ = ec == errc::server_dead      ? std::string("the server died")
                 : ec == errc::server_stopped ? std::string("the server stopped")
                                              : ec.message();
        if (ec == errc::frame_too_large) {
            error_ = "a request of " + std::to_string(plan_.size) +
                     " bytes never fits the server's request ring (serve with a larger --ring)";
        }
    }

    request_outcome finish_with(const boost::system::error_code& ec, clock_type::time_point start,
                                clock_type::time_point last)
    {
        classify(ec);
        return finish(end_, error_, start, last);
    }

    request_outcome finish(request_end end, const std::string& error, clock_type::time_point start,
                           clock_type::time_point last)
    {
        out_.end = end;
        out_.error = error;
        out_.seconds = std::chrono::duration<double>(last - start).count();
        return std::move(out_);
    }

    duplex::client& client_;
    const request_plan& plan_;
    request_outcome out_;
    std::deque<outstanding> in_flight_;
    clock_type::time_point progress_; ///< the last commit or response
    static constexpr std::size_t no_backoff = std::numeric_limits<std::size_t>::max();
    std::size_t resume_at_ = no_backoff; ///< after a full ring: send again at this many in flight
    request_end end_ = request_end::count;
    std::string error_;
};

} // namespace

std::string_view to_string(request_end e) noexcept
{
    switch (e) {
    case request_end::count: return "count";
    case request_end::interrupted: return "interrupted";
    case request_end::timeout: return "timeout";
    case request_end::server_dead: return "server_dead";
    case request_end::server_stopped: return "server_stopped";
    case request_end::failed: return "error";
    }
    return "error";
}

request_outcome run_requests(duplex::client& client, const request_plan& plan)
{
    return run(client, plan).go();
}

} // namespace zerobuffer::tool

// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "response_slot.hpp"

#include <zerobuffer/duplex/error_response.hpp>
#include <zerobuffer/error.hpp>

#include <exception>
#include <string>
#include <vector>

namespace zerobuffer::duplex {

std::span<std::byte> response_sink::get_buffer(std::size_t size)
{
    return slot_->get_buffer(size);
}

void response_sink::commit()
{
    slot_->commit();
}

void response_sink::write(std::span<const std::byte> data)
{
    slot_->write(data);
}

} // namespace zerobuffer::duplex

namespace zerobuffer::duplex::detail {

namespace {

[[noreturn]] void throw_sink_error(const boost::system::error_code& ec, const char* what)
{
    throw_error(ec, std::string("response_sink::") + what);
}

} // namespace

void response_slot::run(const handler_function& handler, const request& req) noexcept
{
    bool threw = false;
    std::string failure;
    try {
        response_sink sink(*this, sequence_);
        handler(req, sink);
    } catch (const std::exception& e) {
        threw = true;
        try {
            failure = e.what();
        } catch (...) {
        }
    } catch (...) {
        threw = true;
        finish(threw, "the handler threw an exception not derived from std::exception");
        return;
    }
    finish(threw, failure);
}

void response_slot::answer(std::span<const std::byte> data) noexcept
{
    try {
        write(data);
        finish(false, {});
    } catch (const std::exception& e) {
        finish(true, e.what());
    }
}

void response_slot::take_turn()
{
    if (!ordered_ || holding_turn_) {
        return;
    }
    std::unique_lock lock(session_.mutex);
    session_.changed.wait(lock, [&] { return session_.order.is_turn(index_); });
    session_.order.begin_commit(index_);
    holding_turn_ = true;
}

void response_slot::end_turn() noexcept
{
    if (!holding_turn_) {
        return;
    }
    holding_turn_ = false;
    const std::lock_guard lock(session_.mutex);
    session_.order.end_commit();
    session_.changed.notify_all();
}

bool response_slot::parked(std::span<const std::byte> data)
{
    if (!ordered_ || holding_turn_) {
        return false;
    }
    const std::lock_guard lock(session_.mutex);
    if (session_.order.is_turn(index_)) {
        session_.order.begin_commit(index_);
        holding_turn_ = true;
        return false;
    }
    session_.order.park(index_, std::vector<std::byte>(data.begin(), data.end()));
    return true;
}

std::span<std::byte> response_slot::get_buffer(std::size_t size)
{
    if (state_ != state::none) {
        throw_sink_error(errc::invalid_state, "get_buffer: a response was given already");
    }
    take_turn();
    boost::system::error_code ec;
    const auto area = session_.channel.reserve(size, ec);
    if (ec == errc::client_gone) {
        state_ = state::done; // dropped and counted
        end_turn();
    }
    if (ec) {
        // frame_too_large, invalid_frame_size: the turn stays ours, for the
        // answer the handler (or finish) gives instead.
        throw_sink_error(ec, "get_buffer");
    }
    state_ = state::reserved;
    return area;
}

void response_slot::commit()
{
    if (state_ != state::reserved) {
        throw_sink_error(errc::invalid_state, "commit: nothing reserved");
    }
    const auto ec = session_.channel.commit();
    state_ = state::done;
    end_turn();
    if (ec) {
        throw_sink_error(ec, "commit");
    }
}

void response_slot::write(std::span<const std::byte> data)
{
    if (state_ != state::none) {
        throw_sink_error(errc::invalid_state, "write: a response was given already");
    }
    if (data.empty()) {
        throw_sink_error(errc::invalid_frame_size, "write");
    }
    if (session_.channel.never_fits(data.size())) {
        // Found out at once, turn or not, so the handler may answer otherwise.
        throw_sink_error(errc::frame_too_large, "write");
    }
    if (parked(data)) {
        state_ = state::done; // committed by whoever holds the turn when it comes
        return;
    }
    const auto ec = session_.channel.write(data);
    if (ec == errc::frame_too_large || ec == errc::invalid_frame_size) {
        throw_sink_error(ec, "write"); // the turn stays ours, as in get_buffer
    }
    state_ = state::done;
    end_turn();
    if (ec) {
        throw_sink_error(ec, "write");
    }
}

void response_slot::finish(bool threw, std::string_view failure) noexcept
{
    if (state_ == state::reserved) {
        if (!threw) {
            // Returned without commit(): the response is committed as filled.
            session_.channel.commit();
            state_ = state::done;
            end_turn();
            return;
        }
        session_.channel.abandon();
        state_ = state::none;
    }
    if (state_ == state::done) {
        // Answered (a throw after that changes nothing the client sees) or
        // dropped with its client.
        return;
    }
    const std::string_view text = threw ? failure : "the handler gave no response";
    try {
        if (ordered_ && !holding_turn_) {
            const auto error = make_error_response(text);
            if (parked(error)) {
                state_ = state::done;
                return;
            }
        }
        session_.channel.write_error(text);
    } catch (...) {
        // Out of memory for a parked copy of the error: answer in the turn,
        // where write_error needs no copy of ours.
        if (!holding_turn_) {
            take_turn();
        }
        session_.channel.write_error(text);
    }
    state_ = state::done;
    end_turn();
}

} // namespace zerobuffer::duplex::detail

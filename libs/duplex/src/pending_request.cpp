// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "pending_state.hpp"

#include <zerobuffer/duplex/pending_request.hpp>
#include <zerobuffer/error.hpp>

namespace zerobuffer::duplex {

pending_request::pending_request(std::unique_ptr<detail::pending_state> state) noexcept
    : state_(std::move(state))
{
}

pending_request::pending_request(pending_request&&) noexcept = default;

pending_request& pending_request::operator=(pending_request&& other) noexcept
{
    if (this != &other) {
        if (state_) {
            state_->slot.fail("the request was dropped without a response");
            answered();
        }
        state_ = std::move(other.state_);
    }
    return *this;
}

pending_request::~pending_request()
{
    if (state_) {
        state_->slot.fail("the request was dropped without a response");
        answered();
    }
}

request pending_request::get() const noexcept
{
    if (!state_) {
        return request({}, 0);
    }
    return request(state_->request_frame.bytes(), state_->request_frame.sequence());
}

void pending_request::respond(std::span<const std::byte> data)
{
    if (!state_) {
        throw_error(errc::invalid_state, "duplex::pending_request::respond: already answered");
    }
    state_->slot.answer(data);
    answered();
}

void pending_request::fail(std::string_view reason)
{
    if (!state_) {
        throw_error(errc::invalid_state, "duplex::pending_request::fail: already answered");
    }
    state_->slot.fail(reason);
    answered();
}

void pending_request::answered() noexcept
{
    // Moved out first: the session may be the last thing keeping the server
    // waiting, and nothing of ours may be touched after it is told.
    const std::unique_ptr<detail::pending_state> done = std::move(state_);
    done->complete();
}

} // namespace zerobuffer::duplex

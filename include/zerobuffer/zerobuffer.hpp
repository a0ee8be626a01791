// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ZEROBUFFER_HPP
#define ZEROBUFFER_ZEROBUFFER_HPP

/// @file
/// Umbrella header of the core (zerobuffer::core): the public API of a reader
/// and a writer, i.e. buffer_config.hpp, copy_policy.hpp, error.hpp, frame.hpp,
/// frame_wait.hpp, health.hpp, reader.hpp, resources.hpp, space_wait.hpp,
/// wait_step.hpp, wait_strategy.hpp and writer.hpp.
///
/// It does not include:
/// - protocol/: the pure protocol engines (layout, OIEB, metadata, ring, ring
///   engines, release order), part of the core; include each by name.
///   (health.hpp itself uses protocol/oieb.hpp for its snapshot of the OIEB.)
/// - detail/: the platform layer, not a public API.
/// - testing/: the shared test patterns and names, in the zerobuffer::testing
///   module (libs/testing); include them by name and link zerobuffer::testing.
/// - the Asio layer and the duplex channel, once they exist: their own modules.

#include <zerobuffer/buffer_config.hpp>
#include <zerobuffer/copy_policy.hpp>
#include <zerobuffer/error.hpp>
#include <zerobuffer/frame.hpp>
#include <zerobuffer/frame_wait.hpp>
#include <zerobuffer/health.hpp>
#include <zerobuffer/reader.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/space_wait.hpp>
#include <zerobuffer/wait_step.hpp>
#include <zerobuffer/wait_strategy.hpp>
#include <zerobuffer/writer.hpp>

#endif // ZEROBUFFER_ZEROBUFFER_HPP

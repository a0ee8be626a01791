// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ZEROBUFFER_HPP
#define ZEROBUFFER_ZEROBUFFER_HPP

/// @file
/// Umbrella header: everything a user of zerobuffer needs.

#include <zerobuffer/buffer_config.hpp>
#include <zerobuffer/copy_policy.hpp>
#include <zerobuffer/error.hpp>
#include <zerobuffer/frame.hpp>
#include <zerobuffer/health.hpp>
#include <zerobuffer/protocol/layout.hpp>
#include <zerobuffer/protocol/metadata.hpp>
#include <zerobuffer/protocol/oieb.hpp>
#include <zerobuffer/protocol/ring.hpp>
#include <zerobuffer/protocol/ring_engine.hpp>
#include <zerobuffer/reader.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/testing/buffer_naming_service.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/wait_strategy.hpp>
#include <zerobuffer/writer.hpp>

#endif // ZEROBUFFER_ZEROBUFFER_HPP

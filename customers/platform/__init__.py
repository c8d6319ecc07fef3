"""What every request stands on: resilience (bulkheads, circuit breaker), rate limits and shared
counters, metrics, health, middleware, cache and sessions."""

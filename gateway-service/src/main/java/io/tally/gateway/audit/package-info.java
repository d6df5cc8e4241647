/**
 * The auditors' reads ({@code /v1/audit/...}, docs/audit-api.md) and the dashboard that renders
 * them (ADR 0017): an auditor's access token and role are checked here, the answers come from a
 * ledger replica's internal audit API.
 */
@NullMarked
package io.tally.gateway.audit;

import org.jspecify.annotations.NullMarked;

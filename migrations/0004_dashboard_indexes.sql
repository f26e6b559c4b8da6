DROP INDEX `call_offers_tenant_offered`;--> statement-breakpoint
CREATE INDEX `call_offers_tenant_offered` ON `call_offers` (`tenant_id`,`offered_at`,`outcome`,`agent_id`);--> statement-breakpoint
CREATE INDEX `video_calls_tenant_created_metrics` ON `video_calls` (`tenant_id`,`created_at`,`status`,`assigned_at`,`wait_seconds`,`duration_seconds`,`decision`,`end_reason`,`agent_id`);
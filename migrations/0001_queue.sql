CREATE TABLE `call_offers` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`call_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`offered_at` integer NOT NULL,
	`fallback` integer DEFAULT false NOT NULL,
	`outcome` text,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE INDEX `call_offers_tenant_offered` ON `call_offers` (`tenant_id`,`offered_at`);--> statement-breakpoint
CREATE INDEX `call_offers_call` ON `call_offers` (`call_id`);--> statement-breakpoint
CREATE TABLE `video_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`verification_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`user_name` text NOT NULL,
	`agent_id` text,
	`status` text NOT NULL,
	`priority` text NOT NULL,
	`initial_priority` text NOT NULL,
	`fraud_score` real,
	`session_id` text,
	`created_at` integer NOT NULL,
	`first_offered_at` integer,
	`assigned_at` integer,
	`started_at` integer,
	`ended_at` integer,
	`wait_seconds` integer,
	`duration_seconds` integer,
	`end_reason` text,
	`decision` text,
	`decision_reason` text,
	`notes` text,
	`notes_hash` text,
	`audit_record_id` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `video_calls_tenant_created` ON `video_calls` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `video_calls_tenant_status_ended` ON `video_calls` (`tenant_id`,`status`,`ended_at`);--> statement-breakpoint
CREATE INDEX `video_calls_agent_ended` ON `video_calls` (`agent_id`,`ended_at`);--> statement-breakpoint
CREATE INDEX `video_calls_verification` ON `video_calls` (`verification_id`);
CREATE TABLE `call_recordings` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`call_id` text NOT NULL,
	`object_key` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `call_recordings_call` ON `call_recordings` (`call_id`);--> statement-breakpoint
CREATE TABLE `direct_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`caller_id` text NOT NULL,
	`callee_id` text NOT NULL,
	`status` text NOT NULL,
	`session_id` text,
	`created_at` integer NOT NULL,
	`answered_at` integer,
	`ended_at` integer,
	`duration_seconds` integer,
	`end_reason` text,
	`seen_at` integer
);
--> statement-breakpoint
CREATE INDEX `direct_calls_tenant_created` ON `direct_calls` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `direct_calls_callee_status` ON `direct_calls` (`callee_id`,`status`);
CREATE TABLE `agent_skills` (
	`agent_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`skills` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agent_skills_tenant` ON `agent_skills` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `routing_queues` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`requires` text NOT NULL,
	`service_level_seconds` integer NOT NULL,
	`relax_after_seconds` integer,
	`relax_to_any_agent` integer NOT NULL,
	`working_hours` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `routing_queues_tenant` ON `routing_queues` (`tenant_id`,`position`);--> statement-breakpoint
ALTER TABLE `verifications` ADD `requirements` text;--> statement-breakpoint
ALTER TABLE `video_calls` ADD `queue_id` text;--> statement-breakpoint
CREATE INDEX `video_calls_tenant_queue_created` ON `video_calls` (`tenant_id`,`queue_id`,`created_at`);
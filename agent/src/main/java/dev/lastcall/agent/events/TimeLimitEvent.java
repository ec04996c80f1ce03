package dev.lastcall.agent.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;

/** {@code dev.lastcall.TimeLimit}: a task cancelled while the app runs because it ran too long. */
@Name("dev.lastcall.TimeLimit")
@Label("Lastcall Time Limit")
@Category({"Lastcall", "Time Limits"})
@Description("A task cancelled because it ran longer than its maximum run time")
@StackTrace(false)
@Registered(false)
final class TimeLimitEvent extends TaskOutcomeEvent {}

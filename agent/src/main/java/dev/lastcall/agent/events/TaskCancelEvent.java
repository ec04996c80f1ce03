package dev.lastcall.agent.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;

/** {@code dev.lastcall.TaskCancel}: what the shutdown's cancel did to one task. */
@Name("dev.lastcall.TaskCancel")
@Label("Lastcall Task Cancel")
@Category({"Lastcall", "Shutdown"})
@Description("One task of the agent's shutdown cancel, as its report holds it")
@StackTrace(false)
@Registered(false)
final class TaskCancelEvent extends TaskOutcomeEvent {}

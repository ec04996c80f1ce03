package dev.lastcall.agent.jmx;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * The one place that touches {@code java.management}: registers the bean in the platform MBean
 * server. Loaded only on the {@code lastcall-jmx} thread ({@link JmxStart}).
 */
final class JmxRegistration {
  private JmxRegistration() {}

  static void register(TaskRegistryBean bean) throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    // StandardMBean with isMXBean=true: open types by the interface, whatever the class's access.
    server.registerMBean(
        new StandardMBean(bean, TaskRegistryMXBean.class, true),
        new ObjectName(TaskRegistryMXBean.OBJECT_NAME));
  }
}

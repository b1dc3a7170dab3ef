/* Prints sizeof/offsetof and constant values as "name value" lines for the Java layout tests. */
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/veth.h>
#include <linux/fib_rules.h>
#include <net/if.h>
#include <stdio.h>
#include <stddef.h>

#define S(t, n) printf("sizeof.%s %zu\nalignof.%s %zu\n", n, sizeof(t), n, _Alignof(t))
#define F(t, n, f) printf("%s.%s %zu\n", n, #f, offsetof(t, f))
#define K(c) printf("%s %lld\n", #c, (long long)(c))


int main(void)
{
	S(struct sockaddr_nl, "sockaddr_nl");
	F(struct sockaddr_nl, "sockaddr_nl", nl_family);
	F(struct sockaddr_nl, "sockaddr_nl", nl_pad);
	F(struct sockaddr_nl, "sockaddr_nl", nl_pid);
	F(struct sockaddr_nl, "sockaddr_nl", nl_groups);
	S(struct nlmsghdr, "nlmsghdr");
	F(struct nlmsghdr, "nlmsghdr", nlmsg_len);
	F(struct nlmsghdr, "nlmsghdr", nlmsg_type);
	F(struct nlmsghdr, "nlmsghdr", nlmsg_flags);
	F(struct nlmsghdr, "nlmsghdr", nlmsg_seq);
	F(struct nlmsghdr, "nlmsghdr", nlmsg_pid);
	S(struct nlmsgerr, "nlmsgerr");
	F(struct nlmsgerr, "nlmsgerr", error);
	F(struct nlmsgerr, "nlmsgerr", msg);
	S(struct rtattr, "rtattr");
	F(struct rtattr, "rtattr", rta_len);
	F(struct rtattr, "rtattr", rta_type);
	S(struct ifinfomsg, "ifinfomsg");
	F(struct ifinfomsg, "ifinfomsg", ifi_family);
	F(struct ifinfomsg, "ifinfomsg", __ifi_pad);
	F(struct ifinfomsg, "ifinfomsg", ifi_type);
	F(struct ifinfomsg, "ifinfomsg", ifi_index);
	F(struct ifinfomsg, "ifinfomsg", ifi_flags);
	F(struct ifinfomsg, "ifinfomsg", ifi_change);
	S(struct ifaddrmsg, "ifaddrmsg");
	F(struct ifaddrmsg, "ifaddrmsg", ifa_family);
	F(struct ifaddrmsg, "ifaddrmsg", ifa_prefixlen);
	F(struct ifaddrmsg, "ifaddrmsg", ifa_flags);
	F(struct ifaddrmsg, "ifaddrmsg", ifa_scope);
	F(struct ifaddrmsg, "ifaddrmsg", ifa_index);
	S(struct rtmsg, "rtmsg");
	F(struct rtmsg, "rtmsg", rtm_family);
	F(struct rtmsg, "rtmsg", rtm_dst_len);
	F(struct rtmsg, "rtmsg", rtm_src_len);
	F(struct rtmsg, "rtmsg", rtm_tos);
	F(struct rtmsg, "rtmsg", rtm_table);
	F(struct rtmsg, "rtmsg", rtm_protocol);
	F(struct rtmsg, "rtmsg", rtm_scope);
	F(struct rtmsg, "rtmsg", rtm_type);
	F(struct rtmsg, "rtmsg", rtm_flags);
	S(struct fib_rule_hdr, "fib_rule_hdr");
	F(struct fib_rule_hdr, "fib_rule_hdr", family);
	F(struct fib_rule_hdr, "fib_rule_hdr", dst_len);
	F(struct fib_rule_hdr, "fib_rule_hdr", src_len);
	F(struct fib_rule_hdr, "fib_rule_hdr", tos);
	F(struct fib_rule_hdr, "fib_rule_hdr", table);
	F(struct fib_rule_hdr, "fib_rule_hdr", res1);
	F(struct fib_rule_hdr, "fib_rule_hdr", res2);
	F(struct fib_rule_hdr, "fib_rule_hdr", action);
	F(struct fib_rule_hdr, "fib_rule_hdr", flags);
	K(NETLINK_ROUTE);
	K(SOL_NETLINK);
	K(NETLINK_ADD_MEMBERSHIP);
	K(NETLINK_CAP_ACK);
	K(NETLINK_EXT_ACK);
	K(NETLINK_GET_STRICT_CHK);
	K(NLMSG_NOOP);
	K(NLMSG_ERROR);
	K(NLMSG_DONE);
	K(NLMSG_OVERRUN);
	K(NLM_F_REQUEST);
	K(NLM_F_MULTI);
	K(NLM_F_ACK);
	K(NLM_F_ECHO);
	K(NLM_F_DUMP_INTR);
	K(NLM_F_ROOT);
	K(NLM_F_MATCH);
	K(NLM_F_DUMP);
	K(NLM_F_REPLACE);
	K(NLM_F_EXCL);
	K(NLM_F_CREATE);
	K(NLM_F_APPEND);
	K(NLM_F_CAPPED);
	K(NLM_F_ACK_TLVS);
	K(NLMSGERR_ATTR_MSG);
	K(NLMSGERR_ATTR_OFFS);
	K(NLMSG_ALIGNTO);
	K(NLMSG_HDRLEN);
	K(RTM_NEWLINK);
	K(RTM_DELLINK);
	K(RTM_GETLINK);
	K(RTM_SETLINK);
	K(RTM_NEWADDR);
	K(RTM_DELADDR);
	K(RTM_GETADDR);
	K(RTM_NEWROUTE);
	K(RTM_DELROUTE);
	K(RTM_GETROUTE);
	K(RTM_NEWRULE);
	K(RTM_DELRULE);
	K(IFLA_UNSPEC);
	K(IFLA_ADDRESS);
	K(IFLA_IFNAME);
	K(IFLA_MTU);
	K(IFLA_LINK);
	K(IFLA_TXQLEN);
	K(IFLA_OPERSTATE);
	K(IFLA_LINKINFO);
	K(IFLA_NET_NS_PID);
	K(IFLA_NET_NS_FD);
	K(IFLA_INFO_KIND);
	K(IFLA_INFO_DATA);
	K(VETH_INFO_PEER);
	K(IFA_ADDRESS);
	K(IFA_LOCAL);
	K(IFA_LABEL);
	K(IFA_BROADCAST);
	K(IFA_FLAGS);
	K(IFA_F_NODAD);
	K(IFA_F_PERMANENT);
	K(IFA_F_NOPREFIXROUTE);
	K(RTA_DST);
	K(RTA_SRC);
	K(RTA_OIF);
	K(RTA_GATEWAY);
	K(RTA_PRIORITY);
	K(RTA_PREFSRC);
	K(RTA_TABLE);
	K(RT_TABLE_UNSPEC);
	K(RT_TABLE_MAIN);
	K(RT_TABLE_LOCAL);
	K(RTPROT_BOOT);
	K(RTPROT_STATIC);
	K(RT_SCOPE_UNIVERSE);
	K(RT_SCOPE_LINK);
	K(RT_SCOPE_HOST);
	K(RTN_UNICAST);
	K(IFF_UP);
	K(IFF_BROADCAST);
	K(IFF_LOOPBACK);
	K(IFF_POINTOPOINT);
	K(IFF_RUNNING);
	K(IFF_NOARP);
	K(IFNAMSIZ);
	K(RTA_ALIGNTO);
	K(FRA_PRIORITY);
	K(FRA_FWMARK);
	K(FRA_SUPPRESS_PREFIXLEN);
	K(FRA_TABLE);
	K(FRA_FWMASK);
	K(FR_ACT_TO_TBL);
	K(FIB_RULE_INVERT);
	for (int n = 0; n <= 70; n++) {
		printf("NLMSG_ALIGN(%d) %d\n", n, (int)NLMSG_ALIGN(n));
		printf("NLMSG_LENGTH(%d) %d\n", n, (int)NLMSG_LENGTH(n));
		printf("NLMSG_SPACE(%d) %d\n", n, (int)NLMSG_SPACE(n));
		printf("RTA_ALIGN(%d) %d\n", n, (int)RTA_ALIGN(n));
		printf("RTA_LENGTH(%d) %d\n", n, (int)RTA_LENGTH(n));
		printf("RTA_SPACE(%d) %d\n", n, (int)RTA_SPACE(n));
	}
	return 0;
}

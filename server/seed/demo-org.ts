// The demo organisation a fresh server starts with, so a new user can log in and chat at once.
// Every account's password is DEMO_PASSWORD. Docs and tests rely on alice, bob and carol.
import { create } from '@bufbuild/protobuf'
import {
  ConversationKind,
  ConversationSchema,
  DepartmentSchema,
  UserSchema,
  type Conversation,
  type User,
} from '../../shared/gen/tack_pb'
import { createLogger } from '../../shared/logger'
import { hashPassword } from '../auth/passwords'
import type { Storage } from '../storage/storage'

const log = createLogger('seed')

export const DEMO_PASSWORD = 'demo1234'

export const ALL_HANDS_CONVERSATION_ID = 'g:all-hands'
export const ENGINEERING_CONVERSATION_ID = 'g:engineering'

const DEPARTMENTS = [
  { id: 'dept-exec', name: '总经办', nameEn: 'Executive Office' },
  { id: 'dept-eng', name: '研发部', nameEn: 'Engineering' },
  { id: 'dept-fe', name: '前端组', nameEn: 'Front-end', parentId: 'dept-eng' },
  { id: 'dept-product', name: '产品部', nameEn: 'Product' },
  { id: 'dept-marketing', name: '市场部', nameEn: 'Marketing' },
  { id: 'dept-people', name: '人事部', nameEn: 'People' },
  { id: 'dept-finance', name: '财务部', nameEn: 'Finance' },
]

const AVATAR_COLORS = ['#1677ff', '#13a8a8', '#52c41a', '#fa8c16', '#eb2f96', '#722ed1', '#f5222d']

/** [username, name, English name, department id, title] */
const PEOPLE: [string, string, string, string, string][] = [
  ['david', '赵伟', 'David Zhao', 'dept-exec', '首席执行官'],
  ['emma', '钱芳', 'Emma Qian', 'dept-exec', '首席运营官'],
  ['frank', '孙强', 'Frank Sun', 'dept-exec', '总经理助理'],
  ['grace', '周静', 'Grace Zhou', 'dept-exec', '行政主管'],
  ['alice', '王爱丽', 'Alice Wang', 'dept-eng', '高级工程师'],
  ['henry', '吴磊', 'Henry Wu', 'dept-eng', '研发总监'],
  ['ivan', '郑浩', 'Ivan Zheng', 'dept-eng', '后端工程师'],
  ['jack', '冯军', 'Jack Feng', 'dept-eng', '后端工程师'],
  ['kevin', '陈凯', 'Kevin Chen', 'dept-eng', '运维工程师'],
  ['linda', '褚丽', 'Linda Chu', 'dept-eng', '测试工程师'],
  ['mike', '卫明', 'Mike Wei', 'dept-eng', '架构师'],
  ['nina', '蒋宁', 'Nina Jiang', 'dept-eng', '数据工程师'],
  ['oscar', '沈涛', 'Oscar Shen', 'dept-fe', '前端组长'],
  ['peter', '韩鹏', 'Peter Han', 'dept-fe', '前端工程师'],
  ['quinn', '杨倩', 'Quinn Yang', 'dept-fe', '前端工程师'],
  ['rachel', '朱蕊', 'Rachel Zhu', 'dept-fe', '前端工程师'],
  ['sam', '秦松', 'Sam Qin', 'dept-fe', '视觉设计师'],
  ['carol', '陈卡罗', 'Carol Chen', 'dept-product', '产品总监'],
  ['bob', '李博', 'Bob Li', 'dept-product', '产品经理'],
  ['tina', '许婷', 'Tina Xu', 'dept-product', '产品经理'],
  ['victor', '何威', 'Victor He', 'dept-product', '交互设计师'],
  ['wendy', '吕雯', 'Wendy Lyu', 'dept-product', '用户研究员'],
  ['xavier', '施翔', 'Xavier Shi', 'dept-product', '产品运营'],
  ['yvonne', '张艳', 'Yvonne Zhang', 'dept-marketing', '市场总监'],
  ['zack', '孔志', 'Zack Kong', 'dept-marketing', '品牌经理'],
  ['amy', '曹敏', 'Amy Cao', 'dept-marketing', '市场专员'],
  ['ben', '严斌', 'Ben Yan', 'dept-marketing', '活动策划'],
  ['cindy', '华欣', 'Cindy Hua', 'dept-marketing', '内容编辑'],
  ['daniel', '金丹', 'Daniel Jin', 'dept-people', '人事总监'],
  ['eva', '魏娟', 'Eva Wei', 'dept-people', '招聘专员'],
  ['fiona', '陶菲', 'Fiona Tao', 'dept-people', '薪酬专员'],
  ['george', '姜刚', 'George Jiang', 'dept-people', '培训经理'],
  ['helen', '戚慧', 'Helen Qi', 'dept-finance', '财务总监'],
  ['ian', '谢毅', 'Ian Xie', 'dept-finance', '会计'],
  ['julia', '邹佳', 'Julia Zou', 'dept-finance', '出纳'],
  ['leo', '喻亮', 'Leo Yu', 'dept-finance', '财务分析师'],
]

/** The user id of a demo account: stable, so docs and tests can name people. */
export function demoUserId(username: string): string {
  return `u-${username}`
}

/** Fills an empty storage with the demo organisation and its two group conversations. */
export async function seedDemoOrganisation(storage: Storage): Promise<void> {
  const startedAt = Date.now()
  const users = demoUsers()

  storage.addDirectory({
    departments: DEPARTMENTS.map((department) => create(DepartmentSchema, department)),
    users: await Promise.all(
      users.map(async (user) => ({ user, passwordHash: await hashPassword(DEMO_PASSWORD) })),
    ),
  })

  for (const conversation of demoConversations(users)) storage.createConversation(conversation)

  log.info(
    { departments: DEPARTMENTS.length, users: users.length, durationMs: Date.now() - startedAt },
    'demo organisation seeded',
  )
}

function demoUsers(): User[] {
  return PEOPLE.map(([username, name, nameEn, departmentId, title], index) =>
    create(UserSchema, {
      id: demoUserId(username),
      username,
      name,
      nameEn,
      departmentId,
      title,
      avatarColor: AVATAR_COLORS[index % AVATAR_COLORS.length]!,
    }),
  )
}

function demoConversations(users: User[]): Conversation[] {
  const createdAtMs = BigInt(Date.now())
  const engineering = new Set(['dept-eng', 'dept-fe'])
  return [
    create(ConversationSchema, {
      id: ALL_HANDS_CONVERSATION_ID,
      kind: ConversationKind.GROUP,
      title: '全员群 All Hands',
      memberIds: users.map((user) => user.id),
      createdAtMs,
    }),
    create(ConversationSchema, {
      id: ENGINEERING_CONVERSATION_ID,
      kind: ConversationKind.GROUP,
      title: '研发部 Engineering',
      memberIds: users.filter((user) => engineering.has(user.departmentId)).map((user) => user.id),
      createdAtMs,
    }),
  ]
}

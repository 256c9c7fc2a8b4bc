// Routes of the account and project pages, spliced into the app's route table with one line.
import { AccountPage } from '../account/AccountPage.tsx';
import { AuditPage } from '../projects/AuditPage.tsx';
import { ProjectPage } from '../projects/ProjectPage.tsx';
import { ProjectsPage } from '../projects/ProjectsPage.tsx';
import { SharedViewPage } from '../sharing/SharedViewPage.tsx';
import type { RouteDefinition } from '../router.tsx';
import { ForgotPasswordPage, ResetPasswordPage } from './PasswordResetPages.tsx';
import { SignInPage } from './SignInPage.tsx';
import { SignUpPage } from './SignUpPage.tsx';

export const ACCOUNT_ROUTES: RouteDefinition[] = [
  { path: '/signin', render: () => <SignInPage /> },
  { path: '/signup', render: () => <SignUpPage /> },
  { path: '/forgot-password', render: () => <ForgotPasswordPage /> },
  { path: '/reset-password', render: () => <ResetPasswordPage /> },
  { path: '/account', render: () => <AccountPage /> },
  { path: '/projects', render: () => <ProjectsPage /> },
  // Keyed by id so moving between two projects starts from a fresh page state.
  { path: '/projects/:id', render: (params) => <ProjectPage key={params.id} /> },
  { path: '/projects/:id/audit', render: (params) => <AuditPage key={params.id} /> },
  // Public: a share link's read-only page, for visitors with or without an account.
  { path: '/shared/:token', render: (params) => <SharedViewPage key={params.token} /> },
];
